ALTER TABLE `entries` ADD `number` integer;--> statement-breakpoint
-- Entries submitted before numbers existed: numbered within their round and village in the order they were submitted.
UPDATE `entries` SET `number` = (
  SELECT `n` FROM (
    SELECT `id`, row_number() OVER (PARTITION BY `round_id`, `village_id` ORDER BY `submitted_at`, `id`) AS `n`
      FROM `entries` WHERE `submitted_at` IS NOT NULL
  ) AS `numbered` WHERE `numbered`.`id` = `entries`.`id`
) WHERE `submitted_at` IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `entries_round_village_number` ON `entries` (`round_id`,`village_id`,`number`);
