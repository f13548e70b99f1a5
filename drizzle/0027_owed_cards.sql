CREATE TABLE `owed_cards` (
	`incident_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`retry_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `chat_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `owed_cards_retry_at` ON `owed_cards` (`retry_at`);