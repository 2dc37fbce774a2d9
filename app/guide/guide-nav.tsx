import Link from "next/link";
import type { GuidePage } from "../../lib/guide/pages";

/** The guide's table of contents: host functions, then concepts. */
export function GuideNav({ pages, current }: { pages: readonly GuidePage[]; current?: string }) {
  const groups: { title: string; kind: GuidePage["kind"] }[] = [
    { title: "Host functions", kind: "host function" },
    { title: "Concepts", kind: "concept" },
  ];
  return (
    <nav aria-label="Guide" className="space-y-4 text-sm">
      <Link href="/guide" className="font-semibold text-zinc-200 hover:underline">
        Guide
      </Link>
      {groups.map((group) => (
        <div key={group.kind} className="space-y-1">
          <p className="text-xs uppercase tracking-wide text-zinc-500">{group.title}</p>
          <ul className="space-y-1">
            {pages
              .filter((p) => p.kind === group.kind)
              .map((p) => (
                <li key={p.slug}>
                  <Link
                    href={`/guide/${p.slug}`}
                    aria-current={p.slug === current ? "page" : undefined}
                    className={p.slug === current ? "text-sky-300" : "text-zinc-300 hover:underline"}
                  >
                    {p.title}
                  </Link>
                </li>
              ))}
          </ul>
        </div>
      ))}
      <Link href="/" className="block text-xs text-zinc-500 hover:underline">
        ← the playground
      </Link>
    </nav>
  );
}
