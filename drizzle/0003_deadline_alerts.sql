CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`step` text NOT NULL,
	`kind` text NOT NULL,
	`deadline_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`claimed_at` integer NOT NULL,
	`sent_at` integer,
	`failure` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once` ON `notifications` (`incident_id`,`step`,`kind`,`deadline_at`,`due_at`,`chat_id`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `next_action_at` integer;--> statement-breakpoint
CREATE INDEX `incidents_next_action` ON `incidents` (`next_action_at`);