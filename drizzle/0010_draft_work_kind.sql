PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_draft_work` (
	`incident_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`purpose` text DEFAULT 'answer' NOT NULL,
	`text` text,
	`attachments` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `person_id`, `purpose`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Work saved before purposes were kept counts as the answer's (drizzle-kit generated a select of
-- the new column from the old table, which has none).
INSERT INTO `__new_draft_work`("incident_id", "person_id", "purpose", "text", "attachments", "updated_at") SELECT "incident_id", "person_id", 'answer', "text", "attachments", "updated_at" FROM `draft_work`;--> statement-breakpoint
DROP TABLE `draft_work`;--> statement-breakpoint
ALTER TABLE `__new_draft_work` RENAME TO `draft_work`;--> statement-breakpoint
PRAGMA foreign_keys=ON;