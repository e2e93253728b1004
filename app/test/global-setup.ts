import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../utils/db.server";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabasePath: string;
  }
}

/** Migrates one template database per run; every test file copies it. */
export default function setup(project: TestProject) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-template-"));
  const templatePath = path.join(directory, "template.sqlite");
  migrateDatabase(templatePath);
  project.provide("templateDatabasePath", templatePath);
  return () => fs.rmSync(directory, { recursive: true, force: true });
}
