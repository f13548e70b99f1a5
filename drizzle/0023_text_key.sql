ALTER TABLE `incidents` ADD `text_key` text;--> statement-breakpoint
CREATE INDEX `incidents_text_key` ON `incidents` (`text_key`);--> statement-breakpoint
-- The posts registered before get their texts' keys too: post_text_key() is the bot's own fold
-- (src/domain/post-text.ts), given to every connection by openDatabase (src/db/client.ts).
UPDATE `incidents` SET `text_key` = post_text_key(`text`) WHERE `text` IS NOT NULL;