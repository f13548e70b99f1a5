CREATE TABLE `repeat_questions` (
	`incident_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `chat_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
