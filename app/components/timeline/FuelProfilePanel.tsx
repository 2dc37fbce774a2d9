"use client";

import { useState } from "react";
import type { CallResult } from "../../../lib/instance";

interface Props {
  calls: readonly CallResult[];
  /** The switch: on, the next load instruments a fuel counter per function. */
  profiling: boolean;
  onProfiling(on: boolean): void;
}

/**
 * The fuel profile of a hook call: which functions' own code used its fuel, hottest first,
 * with names from the name section (else an export's, else `func[N]`). The answer to "why
 * did I run out of fuel".
 */
export function FuelProfilePanel({ calls, profiling, onProfiling }: Props) {
  const profiled = calls.map((call, index) => ({ call, index })).filter(({ call }) => call.fuelProfile !== undefined);
  const [chosen, setChosen] = useState<number | undefined>();
  const shown = profiled.find(({ index }) => index === chosen) ?? profiled.at(-1);
  const rows = shown?.call.fuelProfile ?? [];
  const total = rows.reduce((sum, r) => sum + r.fuel, 0);
  return (
    <div className="space-y-2 text-xs">
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-1 text-zinc-400" title="Applies from the next load: the module is instrumented with a fuel counter per function">
          <input type="checkbox" data-testid="profile-fuel" checked={profiling} onChange={(e) => onProfiling(e.target.checked)} />
          profile fuel (from the next load)
        </label>
        {profiled.length > 0 ? (
          <select
            aria-label="Hook call"
            data-testid="profile-call"
            className="rounded border border-zinc-800 bg-zinc-900 px-1.5 py-0.5"
            value={shown?.index ?? ""}
            onChange={(e) => setChosen(Number(e.target.value))}
          >
            {profiled.map(({ call, index }) => (
              <option key={index} value={index}>
                #{index + 1} {call.handler}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {!shown ? <p className="text-zinc-500">Turn on profile fuel, load, and call a hook: its fuel is attributed to the functions that used it.</p> : null}
      {shown ? (
        <>
          <p data-testid="profile-summary">
            {shown.call.handler}: {shown.call.fuelUsed.toLocaleString("en")} of {shown.call.fuelLimit.toLocaleString("en")} fuel
            {shown.call.trap?.kind === "out_of_fuel" ? <span className="text-red-400"> (ran out)</span> : null}
            {rows[0] ? (
              <>
                ; hottest: <span className="font-mono text-amber-300" data-testid="profile-hottest">{rows[0].name}</span>
              </>
            ) : null}
          </p>
          <table className="w-full font-mono" data-testid="profile-table">
            <thead className="text-zinc-400">
              <tr>
                <th className="px-2 py-1 text-left">function (own code)</th>
                <th className="px-2 py-1 text-right">fuel</th>
                <th className="px-2 py-1 text-right">share</th>
                <th className="w-1/3" />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.index} className="border-t border-zinc-900" data-testid="profile-row">
                  <td className="px-2 py-0.5 break-all" data-testid="profile-name">
                    {r.name}
                  </td>
                  <td className="px-2 py-0.5 text-right" data-testid="profile-fuel-used">
                    {r.fuel.toLocaleString("en")}
                  </td>
                  <td className="px-2 py-0.5 text-right text-zinc-400">{total > 0 ? `${((100 * r.fuel) / total).toFixed(1)}%` : ""}</td>
                  <td>
                    <div className="h-2 bg-amber-700" style={{ width: `${total > 0 ? (100 * r.fuel) / total : 0}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-zinc-500">
            Each function&apos;s own straight-line regions, as the sandbox charges them (1 fuel per instruction); a region that ran out of fuel counts in full. Bulk memory
            operations&apos; per-byte fuel is not attributed.
          </p>
        </>
      ) : null}
    </div>
  );
}
