CREATE TABLE `inbox` (
	`update_id` integer PRIMARY KEY NOT NULL,
	`update` text NOT NULL,
	`received_at` integer NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `inbox_pending` ON `inbox` (`done_at`);