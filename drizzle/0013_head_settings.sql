CREATE TABLE `head_settings` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`urgent` integer DEFAULT true NOT NULL,
	`summary` integer DEFAULT true NOT NULL,
	`violations` integer DEFAULT true NOT NULL,
	`organization_id` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);--> statement-breakpoint
-- Before this version every head got everything: each keeps all three purposes, for no one
-- organization, since the role was granted.
INSERT INTO `head_settings` (`person_id`, `urgent`, `summary`, `violations`, `organization_id`, `updated_at`)
SELECT `person_id`, 1, 1, 1, NULL, `created_at` FROM `role_grants` WHERE `role` = 'head';
