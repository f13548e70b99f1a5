ALTER TABLE `assignments` ADD `part_returned_at` integer;--> statement-breakpoint
ALTER TABLE `assignments` ADD `part_return_comment` text;