import { marked } from "marked";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readGuidePage, readGuidePages } from "../../../lib/guide/pages";
import { LiveExample } from "../../components/guide/LiveExample";
import { GuideNav } from "../guide-nav";

/** Every page is rendered at build time; other slugs are 404. */
export const dynamicParams = false;

export function generateStaticParams(): { slug: string }[] {
  return readGuidePages().map((p) => ({ slug: p.slug }));
}

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = readGuidePage((await params).slug);
  return { title: `${page?.title ?? "Guide"} · Extension Playground` };
}

/** `/guide/<slug>`: one page of `docs/guide/`, rendered from its Markdown, and its live example. */
export default async function GuidePageView({ params }: Props) {
  const { slug } = await params;
  const page = readGuidePage(slug);
  if (!page) notFound();
  // The guide's own files, rendered at build time: trusted Markdown, not user input.
  const html = await marked.parse(page.body, { gfm: true });
  return (
    <main className="mx-auto grid max-w-6xl gap-8 p-6 md:grid-cols-[14rem_minmax(0,1fr)]">
      <GuideNav pages={readGuidePages()} current={slug} />
      <article className="min-w-0 space-y-6">
        <header>
          <p className="text-xs uppercase tracking-wide text-zinc-500">{page.kind}</p>
          <h1 className="text-2xl font-semibold" data-testid="guide-title">
            {page.title}
          </h1>
        </header>
        <div className="guide-prose" dangerouslySetInnerHTML={{ __html: html }} />
        <LiveExample name={page.example.name} event={page.example.event} env={page.example.env} />
      </article>
    </main>
  );
}
