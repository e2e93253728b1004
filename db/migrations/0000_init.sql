CREATE TABLE `uslab_assessment_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`locale` text NOT NULL,
	`source` text NOT NULL,
	`model` text,
	`prompt_version` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uslab_assessment_reports_session_locale_idx` ON `uslab_assessment_reports` (`session_id`,`locale`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key_hash` text NOT NULL,
	`nickname` text,
	`locale` text NOT NULL,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`referrer` text,
	`device_type` text NOT NULL,
	`ip_hash` text NOT NULL,
	`user_agent` text,
	`answers` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'in_progress' NOT NULL,
	`total_score` integer,
	`part_scores` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uslab_assessment_sessions_key_hash_idx` ON `uslab_assessment_sessions` (`key_hash`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_sessions_status_score_idx` ON `uslab_assessment_sessions` (`status`,`total_score`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_shares` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`session_id` integer NOT NULL,
	`nickname` text,
	`public_summary` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uslab_assessment_shares_slug_idx` ON `uslab_assessment_shares` (`slug`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_shares_session_idx` ON `uslab_assessment_shares` (`session_id`);--> statement-breakpoint
CREATE TABLE `consent_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_id` text NOT NULL,
	`session_id` integer,
	`version` text NOT NULL,
	`purpose` text NOT NULL,
	`locale` text NOT NULL,
	`notice_hash` text NOT NULL,
	`ip_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_records_receipt_idx` ON `consent_records` (`receipt_id`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_consultations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`email_encrypted` text NOT NULL,
	`email_blind_index` text NOT NULL,
	`name_encrypted` text,
	`company_encrypted` text,
	`job_title_encrypted` text,
	`message_encrypted` text NOT NULL,
	`locale` text NOT NULL,
	`consent_version` text NOT NULL,
	`consent_receipt_id` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`meta` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`completed_at` integer,
	`retain_until` integer,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_email_idx` ON `uslab_assessment_consultations` (`email_blind_index`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_consultations_status_idx` ON `uslab_assessment_consultations` (`status`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_download_leads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`email_encrypted` text NOT NULL,
	`email_blind_index` text NOT NULL,
	`name_encrypted` text,
	`company_encrypted` text,
	`job_title_encrypted` text,
	`locale` text NOT NULL,
	`consent_version` text NOT NULL,
	`consent_receipt_id` text NOT NULL,
	`meta` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_leads_email_idx` ON `uslab_assessment_download_leads` (`email_blind_index`);--> statement-breakpoint
CREATE INDEX `uslab_assessment_download_leads_session_idx` ON `uslab_assessment_download_leads` (`session_id`);--> statement-breakpoint
CREATE TABLE `uslab_assessment_download_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`lead_id` integer NOT NULL,
	`session_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_used_at` integer,
	`use_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`lead_id`) REFERENCES `uslab_assessment_download_leads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `uslab_assessment_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uslab_assessment_download_tokens_hash_idx` ON `uslab_assessment_download_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `integration_transfer_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`integration_id` text NOT NULL,
	`purpose` text NOT NULL,
	`data_categories` text NOT NULL,
	`request_bytes` integer DEFAULT 0 NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`latency_ms` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integration_transfer_log_integration_idx` ON `integration_transfer_log` (`integration_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`locale` text NOT NULL,
	`recipient_encrypted` text NOT NULL,
	`payload_encrypted` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);