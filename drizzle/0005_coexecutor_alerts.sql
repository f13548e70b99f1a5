DROP INDEX `notifications_once`;--> statement-breakpoint
ALTER TABLE `notifications` ADD `organization_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once_per_part` ON `notifications` (`incident_id`,`step`,`organization_id`,`kind`,`deadline_at`,`due_at`,`chat_id`);