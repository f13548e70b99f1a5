ALTER TABLE `restores` ADD `started_at` integer;--> statement-breakpoint
-- Restores noted before: the bot started on them soon after (or starts now); the restore's own time
-- stands for that start, so an old restore's window stays where it was, not stretched up to now.
UPDATE `restores` SET `started_at` = `restored_at`;
