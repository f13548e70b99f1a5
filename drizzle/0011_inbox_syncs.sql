CREATE TABLE `inbox_syncs` (
	`id` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
