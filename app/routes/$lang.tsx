import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { isSupportedLanguage } from "~/i18n";
import { invariantResponse } from "~/utils/http.server";

export function loader({ params }: LoaderFunctionArgs) {
  invariantResponse(isSupportedLanguage(params.lang), 404);
  return null;
}

export default function LanguageLayout() {
  return <Outlet />;
}
