CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`organization_id` integer NOT NULL,
	`role` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`received_at` integer NOT NULL,
	`accepted_by` integer,
	`accepted_at` integer,
	`return_reason` text,
	`part_text` text,
	`part_sent_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_incident` ON `assignments` (`incident_id`);--> statement-breakpoint
CREATE INDEX `assignments_organization` ON `assignments` (`organization_id`,`state`);--> statement-breakpoint
CREATE TABLE `cards` (
	`incident_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `chat_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`link` text NOT NULL,
	`link_key` text NOT NULL,
	`network` text NOT NULL,
	`text` text,
	`author` text,
	`topic` text,
	`place` text,
	`importance` text DEFAULT 'normal' NOT NULL,
	`state` text NOT NULL,
	`detected_at` integer NOT NULL,
	`posted_at` integer,
	`registered_by` integer NOT NULL,
	`routed_at` integer,
	`holder_id` integer,
	`shortened_answer_minutes` integer,
	`repeat_of_id` integer,
	`closed_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`registered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`repeat_of_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_link_key_unique` ON `incidents` (`link_key`);--> statement-breakpoint
CREATE INDEX `incidents_state` ON `incidents` (`state`);--> statement-breakpoint
CREATE INDEX `incidents_author` ON `incidents` (`author`);