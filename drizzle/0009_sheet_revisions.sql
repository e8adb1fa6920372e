ALTER TABLE `score_sheets` ADD `others_seen_at` integer;--> statement-breakpoint
ALTER TABLE `score_sheets` ADD `revised_at` integer;--> statement-breakpoint
ALTER TABLE `score_sheets` ADD `revision_reason` text;--> statement-breakpoint
ALTER TABLE `score_sheets` ADD `original` text;