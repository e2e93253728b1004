import type { MetaDescriptor } from "@remix-run/node";

/** Head tags of a page only its session-key holder can open: a title, and never indexed. */
export function privatePageMeta({ data }: { data?: { title: string } }): MetaDescriptor[] {
  return [{ title: data?.title }, { name: "robots", content: "noindex" }];
}
