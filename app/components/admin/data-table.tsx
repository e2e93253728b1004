import type { ReactNode } from "react";

/**
 * A staff table: captioned, column headers scoped, and scrolling inside its
 * own box so a wide list never widens a 320 px page. `children` are the rows.
 */
export function DataTable({ caption, headers, children }: { caption: string; headers: string[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
