CREATE INDEX `drafts_decided` ON `drafts` (`state`,`decided_at`);--> statement-breakpoint
CREATE INDEX `drafts_text_length` ON `drafts` (length("text"));--> statement-breakpoint
CREATE INDEX `notifications_chat` ON `notifications` (`chat_id`,`kind`,`sent_at`);--> statement-breakpoint
CREATE INDEX `notifications_settled` ON `notifications` (`failure`,`kind`,`claimed_at`) WHERE "notifications"."failure" is not null;