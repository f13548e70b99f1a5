CREATE TABLE `draft_work` (
	`incident_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`text` text,
	`attachments` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `person_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`round` integer NOT NULL,
	`author_id` integer NOT NULL,
	`text` text NOT NULL,
	`attachments` text NOT NULL,
	`state` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`rework_comment` text,
	`quality` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `drafts_incident` ON `drafts` (`incident_id`,`id`);--> statement-breakpoint
CREATE TABLE `publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`link` text NOT NULL,
	`published_by` integer NOT NULL,
	`published_at` integer NOT NULL,
	`on_time` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publications_incident` ON `publications` (`incident_id`,`kind`);