CREATE TABLE `incident_search_keys` (
	`incident_id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);

--> statement-breakpoint
-- The posts registered before: their words folded as the bot folds them (`fold`, src/db/client.ts).
INSERT INTO `incident_search_keys` (`incident_id`, `key`)
SELECT `id`, fold(concat_ws(' ', `text`, `topic`, `place`, `author`)) FROM `incidents`;