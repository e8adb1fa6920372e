ALTER TABLE `photos` ADD `flags_cleared_at` integer;--> statement-breakpoint
ALTER TABLE `photos` ADD `flags_cleared_by` text REFERENCES accounts(id);--> statement-breakpoint
ALTER TABLE `photos` ADD `flags_cleared_reason` text;