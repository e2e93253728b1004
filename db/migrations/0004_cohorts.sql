CREATE TABLE `cohort_report_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cohort_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	`use_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cohort_report_links_token_idx` ON `cohort_report_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `cohort_report_links_cohort_idx` ON `cohort_report_links` (`cohort_id`);--> statement-breakpoint
CREATE TABLE `cohort_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cohort_id` integer NOT NULL,
	`taken_at` integer NOT NULL,
	`through_at` integer NOT NULL,
	`completed` integer NOT NULL,
	`figures` text NOT NULL,
	FOREIGN KEY (`cohort_id`) REFERENCES `cohorts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cohort_snapshots_cohort_idx` ON `cohort_snapshots` (`cohort_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `cohorts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name_ko` text NOT NULL,
	`name_en` text NOT NULL,
	`intro_ko` text,
	`intro_en` text,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`target_size` integer,
	`min_group_size` integer DEFAULT 5 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cohorts_code_idx` ON `cohorts` (`code`);--> statement-breakpoint
CREATE INDEX `cohorts_closes_idx` ON `cohorts` (`closes_at`);--> statement-breakpoint
ALTER TABLE `uslab_assessment_sessions` ADD `cohort_id` integer REFERENCES cohorts(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `uslab_assessment_sessions_cohort_idx` ON `uslab_assessment_sessions` (`cohort_id`,`status`,`completed_at`);