CREATE TABLE `objection_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`objection_id` text NOT NULL,
	`storage_key` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`objection_id`) REFERENCES `objections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objection_photos_objection` ON `objection_photos` (`objection_id`);--> statement-breakpoint
CREATE INDEX `objection_photos_storage` ON `objection_photos` (`storage_key`);--> statement-breakpoint
CREATE TABLE `objections` (
	`id` text PRIMARY KEY NOT NULL,
	`result_id` text NOT NULL,
	`household_id` text NOT NULL,
	`account_id` text NOT NULL,
	`text` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`decision_reason` text,
	`change` text,
	FOREIGN KEY (`result_id`) REFERENCES `results`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `objections_result` ON `objections` (`result_id`,`status`);--> statement-breakpoint
CREATE INDEX `objections_account` ON `objections` (`account_id`);--> statement-breakpoint
CREATE TABLE `plates` (
	`serial` text PRIMARY KEY NOT NULL,
	`result_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`household_id` text NOT NULL,
	`village_id` text NOT NULL,
	`period` text NOT NULL,
	`stars` integer NOT NULL,
	`title` text NOT NULL,
	`holder_name` text NOT NULL,
	`issuer` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` text NOT NULL,
	`status` text NOT NULL,
	`revoked_at` integer,
	`revoked_by` text,
	`revoked_reason` text,
	`superseded_by` text,
	FOREIGN KEY (`result_id`) REFERENCES `results`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plates_one_per_result` ON `plates` (`result_id`,`household_id`) WHERE status <> 'revoked';--> statement-breakpoint
CREATE INDEX `plates_household` ON `plates` (`household_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `plates_village` ON `plates` (`village_id`,`period`);--> statement-breakpoint
CREATE TABLE `result_lines` (
	`result_id` text NOT NULL,
	`household_id` text NOT NULL,
	`village_id` text NOT NULL,
	`entry_id` text,
	`rank` integer,
	`total` text,
	`criteria` text NOT NULL,
	`sheets` integer NOT NULL,
	`awarded` integer NOT NULL,
	`stars` integer NOT NULL,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`excluded_reason` text,
	PRIMARY KEY(`result_id`, `household_id`),
	FOREIGN KEY (`result_id`) REFERENCES `results`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `result_lines_household` ON `result_lines` (`household_id`);--> statement-breakpoint
CREATE TABLE `results` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`round_id` text,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`computed_at` integer NOT NULL,
	`computed_by` text NOT NULL,
	`announced_at` integer,
	`announced_by` text,
	`objection_deadline` integer,
	`finalized_at` integer,
	`finalized_by` text,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`computed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`announced_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finalized_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `results_campaign_period` ON `results` (`campaign_id`,`kind`,`period`);--> statement-breakpoint
CREATE TABLE `rewards` (
	`id` text PRIMARY KEY NOT NULL,
	`result_id` text NOT NULL,
	`household_id` text NOT NULL,
	`village_id` text NOT NULL,
	`label` text NOT NULL,
	`amount_fen` integer,
	`goods` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`paid_on` text,
	`payer` text,
	`note` text,
	`confirmed_by` text,
	`confirmed_at` integer,
	FOREIGN KEY (`result_id`) REFERENCES `results`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rewards_one_per_result` ON `rewards` (`result_id`,`household_id`);--> statement-breakpoint
CREATE INDEX `rewards_village` ON `rewards` (`village_id`,`status`);