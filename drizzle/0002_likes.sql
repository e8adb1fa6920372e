CREATE TABLE `likes` (
	`id` text PRIMARY KEY NOT NULL,
	`entry_id` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`ip_prefix` text NOT NULL,
	`device_hash` text NOT NULL,
	`status` text NOT NULL,
	`unliked_at` integer,
	`voided_at` integer,
	`voided_by` text,
	`void_reason` text,
	FOREIGN KEY (`entry_id`) REFERENCES `entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voided_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `likes_one_active` ON `likes` (`entry_id`,`account_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `likes_entry` ON `likes` (`entry_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `likes_account` ON `likes` (`account_id`,`created_at`);