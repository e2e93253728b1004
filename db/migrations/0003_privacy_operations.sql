CREATE TABLE `audit_anchor` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_pruned_id` integer NOT NULL,
	`last_pruned_hash` text NOT NULL,
	`pruned_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `consent_withdrawal_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`consent_record_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`consent_record_id`) REFERENCES `consent_records`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_withdrawal_tokens_hash_idx` ON `consent_withdrawal_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `consent_withdrawal_tokens_consent_idx` ON `consent_withdrawal_tokens` (`consent_record_id`);--> statement-breakpoint
CREATE TABLE `privacy_access_bundles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`last_used_at` integer,
	`use_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `privacy_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_access_bundles_token_idx` ON `privacy_access_bundles` (`token_hash`);--> statement-breakpoint
CREATE INDEX `privacy_access_bundles_request_idx` ON `privacy_access_bundles` (`request_id`);--> statement-breakpoint
CREATE INDEX `privacy_access_bundles_expires_idx` ON `privacy_access_bundles` (`expires_at`);--> statement-breakpoint
CREATE TABLE `privacy_request_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`staff_id` integer NOT NULL,
	`note_encrypted` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `privacy_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `privacy_request_notes_request_idx` ON `privacy_request_notes` (`request_id`);--> statement-breakpoint
CREATE TABLE `privacy_request_verifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`type` text NOT NULL,
	`locale` text NOT NULL,
	`email_encrypted` text NOT NULL,
	`email_blind_index` text NOT NULL,
	`details_encrypted` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`request_id` integer,
	FOREIGN KEY (`request_id`) REFERENCES `privacy_requests`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_request_verifications_token_idx` ON `privacy_request_verifications` (`token_hash`);--> statement-breakpoint
CREATE INDEX `privacy_request_verifications_expires_idx` ON `privacy_request_verifications` (`expires_at`);--> statement-breakpoint
CREATE INDEX `privacy_request_verifications_email_idx` ON `privacy_request_verifications` (`email_blind_index`);--> statement-breakpoint
CREATE TABLE `privacy_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`type` text NOT NULL,
	`channel` text NOT NULL,
	`locale` text NOT NULL,
	`email_encrypted` text,
	`email_blind_index` text NOT NULL,
	`details_encrypted` text,
	`consent_receipt_id` text,
	`received_at` integer NOT NULL,
	`identity_verified_at` integer,
	`clock_paused_at` integer,
	`paused_ms` integer DEFAULT 0 NOT NULL,
	`due_at` integer,
	`extended_at` integer,
	`extension_days` integer,
	`extension_reason_encrypted` text,
	`status` text DEFAULT 'open' NOT NULL,
	`assigned_staff_id` integer,
	`outcome` text,
	`outcome_note_encrypted` text,
	`closed_at` integer,
	`erased_at` integer,
	`processors` text,
	`working_data_purged_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`assigned_staff_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_requests_reference_idx` ON `privacy_requests` (`reference`);--> statement-breakpoint
CREATE INDEX `privacy_requests_email_idx` ON `privacy_requests` (`email_blind_index`);--> statement-breakpoint
CREATE INDEX `privacy_requests_status_due_idx` ON `privacy_requests` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `privacy_requests_received_idx` ON `privacy_requests` (`received_at`);--> statement-breakpoint
CREATE INDEX `privacy_requests_closed_idx` ON `privacy_requests` (`closed_at`);--> statement-breakpoint
ALTER TABLE `integration_transfer_log` ADD `mail_id` integer REFERENCES mail_outbox(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `integration_transfer_log_mail_idx` ON `integration_transfer_log` (`mail_id`);--> statement-breakpoint
CREATE INDEX `integration_transfer_log_created_idx` ON `integration_transfer_log` (`created_at`);--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `privacy_request_id` integer REFERENCES privacy_requests(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `mail_outbox_privacy_request_idx` ON `mail_outbox` (`privacy_request_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_final_idx` ON `mail_outbox` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `privacy_processing_restrictions` ADD `request_id` integer REFERENCES privacy_requests(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `uslab_assessment_sessions_status_updated_idx` ON `uslab_assessment_sessions` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_shares_revoked_idx` ON `uslab_assessment_shares` (`revoked_at`);--> statement-breakpoint
CREATE INDEX `consent_records_session_idx` ON `consent_records` (`session_id`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_retain_idx` ON `uslab_assessment_consultations` (`retain_until`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_receipt_idx` ON `uslab_assessment_consultations` (`consent_receipt_id`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_leads_receipt_idx` ON `uslab_assessment_download_leads` (`consent_receipt_id`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_tokens_expires_idx` ON `uslab_assessment_download_tokens` (`expires_at`);