ALTER TABLE `sheet_photos` ADD `removed_at` integer;--> statement-breakpoint
ALTER TABLE `sheet_photos` ADD `client_key` text;