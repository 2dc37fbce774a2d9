import type { Metadata } from "next";
import Link from "next/link";
import { readGuidePages } from "../../lib/guide/pages";
import { GuideNav } from "./guide-nav";

export const metadata: Metadata = { title: "Guide · Extension Playground" };

/** `/guide`: every page with its one-line summary. */
export default function GuideIndex() {
  const pages = readGuidePages();
  return (
    <main className="mx-auto grid max-w-6xl gap-8 p-6 md:grid-cols-[14rem_minmax(0,1fr)]">
      <GuideNav pages={pages} />
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">The FrankenTerm extension ABI, page by page</h1>
        <p className="text-sm text-zinc-400">
          One page per host function and per concept, each with a live example you can edit and run here. The same text is{" "}
          <code>docs/abi.md</code> in the repository.
        </p>
        <ul className="space-y-2" data-testid="guide-index">
          {pages.map((p) => (
            <li key={p.slug}>
              <Link href={`/guide/${p.slug}`} className="font-medium text-sky-300 hover:underline">
                {p.title}
              </Link>
              <span className="text-sm text-zinc-400"> · {p.summary}</span>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
