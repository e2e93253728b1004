import type { LoaderFunctionArgs } from "@remix-run/node";
import { logoResponse } from "~/brand/brand.server";

/** The operator's logo as configured (OPERATOR_LOGO_FILE), for the pages' header; 404 without one. */
export function loader({ request }: LoaderFunctionArgs) {
  return logoResponse(request, "file");
}
