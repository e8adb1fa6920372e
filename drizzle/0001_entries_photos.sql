CREATE TABLE `entries` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`household_id` text NOT NULL,
	`village_id` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`like_count` integer DEFAULT 0 NOT NULL,
	`qualified_at` integer,
	`submitted_at` integer,
	`hidden_at` integer,
	`hidden_by` text,
	`hidden_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`proxy_by` text,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proxy_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entries_round_household` ON `entries` (`round_id`,`household_id`);--> statement-breakpoint
CREATE INDEX `entries_round_status` ON `entries` (`round_id`,`status`);--> statement-breakpoint
CREATE INDEX `entries_household` ON `entries` (`household_id`);--> statement-breakpoint
CREATE TABLE `photo_matches` (
	`photo_id` text NOT NULL,
	`match_photo_id` text NOT NULL,
	`kind` text NOT NULL,
	`distance` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`photo_id`, `match_photo_id`),
	FOREIGN KEY (`photo_id`) REFERENCES `photos`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`match_photo_id`) REFERENCES `photos`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_id` text NOT NULL,
	`household_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`source_hash` text NOT NULL,
	`perceptual_hash` text NOT NULL,
	`storage_key` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`bytes` integer NOT NULL,
	`captured_at` integer,
	`created_at` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`removed_at` integer,
	`hidden_at` integer,
	`hidden_by` text,
	`hidden_reason` text,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hidden_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `photos_entry` ON `photos` (`entry_id`,`position`);--> statement-breakpoint
CREATE INDEX `photos_source` ON `photos` (`source_hash`);--> statement-breakpoint
CREATE INDEX `photos_storage` ON `photos` (`storage_key`);