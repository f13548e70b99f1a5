CREATE TABLE `restores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`restored_at` integer NOT NULL,
	`backup_at` integer,
	`lost` text NOT NULL,
	`replaced_read` integer NOT NULL,
	`changed` text NOT NULL
);
