import {
  decryptOptionalPii,
  decryptPii,
  emailBlindIndex,
  encryptOptionalPii,
  encryptPii,
} from "~/utils/crypto.server";

/** Per-column encryption contexts of a table that stores the contact block. */
type ContactContexts = { email: string; name: string; company: string; jobTitle: string };

type ContactInput = { email: string; name?: string; company?: string; job_title?: string };

type ContactColumns = {
  emailEncrypted: string;
  emailBlindIndex: string;
  nameEncrypted: string | null;
  companyEncrypted: string | null;
  jobTitleEncrypted: string | null;
};

/** The contact block as stored by leads and consultations: each field encrypted, the email also indexed. */
export function encryptContact(input: ContactInput, contexts: ContactContexts): ContactColumns {
  return {
    emailEncrypted: encryptPii(input.email, contexts.email),
    emailBlindIndex: emailBlindIndex(input.email),
    nameEncrypted: encryptOptionalPii(input.name, contexts.name),
    companyEncrypted: encryptOptionalPii(input.company, contexts.company),
    jobTitleEncrypted: encryptOptionalPii(input.job_title, contexts.jobTitle),
  };
}

export type Contact = {
  email: string;
  name: string | null;
  company: string | null;
  jobTitle: string | null;
};

export function decryptContact(row: ContactColumns, contexts: ContactContexts): Contact {
  return {
    email: decryptPii(row.emailEncrypted, contexts.email),
    name: decryptOptionalPii(row.nameEncrypted, contexts.name),
    company: decryptOptionalPii(row.companyEncrypted, contexts.company),
    jobTitle: decryptOptionalPii(row.jobTitleEncrypted, contexts.jobTitle),
  };
}
