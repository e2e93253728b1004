/**
 * Must equal quietZone in ~/staff/qr-code.server, which offsets the path by
 * it; a .server module cannot be imported into code that also runs in the browser.
 */
const QUIET_ZONE_MODULES = 4;

/** A QR code drawn from qrCodeModules: dark modules on white, with the quiet zone around them. */
export function QrCode({ modules, label }: { modules: { size: number; path: string }; label: string }) {
  const side = modules.size + 2 * QUIET_ZONE_MODULES;
  return (
    <svg
      className="qr-code"
      viewBox={`0 0 ${side} ${side}`}
      width={200}
      height={200}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      {/* White even in a dark theme: scanners need dark modules on a light background. */}
      <rect width={side} height={side} fill="#fff" />
      <path d={modules.path} fill="#000" />
    </svg>
  );
}
