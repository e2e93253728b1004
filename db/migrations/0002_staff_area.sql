CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`staff_id` integer,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`details` text NOT NULL,
	`ip_hash` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_staff_idx` ON `audit_log` (`staff_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_consultation_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consultation_id` integer NOT NULL,
	`staff_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`note_encrypted` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `uslab_assessment_consultations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultation_notes_consultation_idx` ON `uslab_assessment_consultation_notes` (`consultation_id`);--> statement-breakpoint
CREATE TABLE `privacy_processing_restrictions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_blind_index` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`lifted_at` integer
);
--> statement-breakpoint
CREATE INDEX `privacy_processing_restrictions_email_idx` ON `privacy_processing_restrictions` (`email_blind_index`);--> statement-breakpoint
CREATE TABLE `staff_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`totp_secret_encrypted` text,
	`totp_confirmed_at` integer,
	`totp_last_step` integer,
	`locale` text DEFAULT 'ko' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_login_at` integer,
	`disabled_at` integer,
	`disabled_reason` text,
	`reenabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_accounts_email_idx` ON `staff_accounts` (`email`);--> statement-breakpoint
CREATE TABLE `staff_login_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failure_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `staff_recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_recovery_codes_staff_idx` ON `staff_recovery_codes` (`staff_id`);--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id_hash` text NOT NULL,
	`staff_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`second_factor_at` integer,
	`ip_hash` text NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_sessions_id_hash_idx` ON `staff_sessions` (`id_hash`);--> statement-breakpoint
CREATE INDEX `staff_sessions_staff_idx` ON `staff_sessions` (`staff_id`);--> statement-breakpoint
ALTER TABLE `uslab_assessment_sessions` ADD `parts_completed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `uslab_assessment_sessions` SET `parts_completed` = CASE WHEN `status` = 'completed' THEN 3 ELSE min(3, (SELECT count(*) FROM json_each(`answers`)) / 4) END;--> statement-breakpoint
CREATE INDEX `uslab_assessment_sessions_created_idx` ON `uslab_assessment_sessions` (`created_at`);--> statement-breakpoint
ALTER TABLE `uslab_assessment_download_tokens` ADD `revoked_at` integer;--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_tokens_lead_idx` ON `uslab_assessment_download_tokens` (`lead_id`);--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `lead_id` integer REFERENCES uslab_assessment_download_leads(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `consultation_id` integer REFERENCES uslab_assessment_consultations(id) ON DELETE set null;--> statement-breakpoint
UPDATE `mail_outbox` SET `lead_id` = (SELECT `id` FROM `uslab_assessment_download_leads` AS `lead` WHERE `lead`.`session_id` = `mail_outbox`.`session_id` AND `lead`.`created_at` = `mail_outbox`.`created_at`) WHERE `kind` = 'report_download';--> statement-breakpoint
UPDATE `mail_outbox` SET `consultation_id` = (SELECT `id` FROM `uslab_assessment_consultations` AS `request` WHERE `request`.`session_id` = `mail_outbox`.`session_id` AND `request`.`created_at` = `mail_outbox`.`created_at`) WHERE `kind` = 'consultation_confirmation';--> statement-breakpoint
CREATE INDEX `mail_outbox_lead_idx` ON `mail_outbox` (`lead_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_consultation_idx` ON `mail_outbox` (`consultation_id`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_shares_created_idx` ON `uslab_assessment_shares` (`created_at`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_session_idx` ON `uslab_assessment_consultations` (`session_id`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_created_idx` ON `uslab_assessment_consultations` (`created_at`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_leads_created_idx` ON `uslab_assessment_download_leads` (`created_at`);