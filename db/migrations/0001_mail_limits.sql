ALTER TABLE `uslab_assessment_consultations` ADD `mail_outcome` text;--> statement-breakpoint
ALTER TABLE `uslab_assessment_consultations` ADD `staff_notified_at` integer;--> statement-breakpoint
UPDATE `uslab_assessment_consultations` SET `staff_notified_at` = `created_at`;--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_staff_notified_idx` ON `uslab_assessment_consultations` (`staff_notified_at`);--> statement-breakpoint
ALTER TABLE `uslab_assessment_download_leads` ADD `mail_outcome` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `recipient_blind_index` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `session_id` integer REFERENCES uslab_assessment_sessions(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `mail_outbox_recipient_idx` ON `mail_outbox` (`recipient_blind_index`,`created_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_session_idx` ON `mail_outbox` (`session_id`,`created_at`);