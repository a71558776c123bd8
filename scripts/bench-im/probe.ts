import { readFileSync } from "node:fs";
import { asUser, run } from "../../lib/host";

/** How to reach one ejabberd node's VM from a hidden Erlang node on this host. */
export interface ErlangTarget {
  node: string;
  /** HOME holding the node's `.erlang.cookie`. */
  home: string;
  /** The node's distribution port when it runs without epmd (local runner). @default - ask epmd */
  distPort?: number;
  /** epmd's port when it is not 4369 (the local cluster). @default - 4369 */
  epmdPort?: number;
}

/** Resident set of a process, in KB, from /proc. */
export function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1]);
}

/** Runs `expr` (Erlang, with `N` bound to the target node's name) on a hidden node; returns what it prints. */
async function erlEval(target: ErlangTarget, expr: string): Promise<string> {
  const [setpriv, ...asEjabberd] = asUser("ejabberd");
  const probe = `probe${process.pid}x${Date.now() % 100_000}`;
  const dist = target.distPort ? ["-erl_epmd_port", String(target.distPort), "-dist_listen", "false"] : [];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: target.home, LANG: "C.UTF-8" };
  if (target.epmdPort) env.ERL_EPMD_PORT = String(target.epmdPort);
  const program = `N = '${target.node}', true = net_kernel:connect_node(N), ${expr}, halt().`;
  return run(setpriv, [...asEjabberd, "erl", "-noshell", "-hidden", "-sname", probe, ...dist, "-eval", program], {
    env,
    cwd: target.home,
    timeoutMs: 120_000,
  });
}

/**
 * Where the VM's memory goes, as lines `<kind> <name> <numbers...>`: erlang:memory(), the eight process groups
 * (by initial call) holding the most memory with their count, total memory, referenced binaries (shared ones divided
 * by their reference count) and heap bytes, the ports' count and memory, and each allocator's carriers and blocks.
 */
const breakdownExpr = `
  F = fun() ->
    W = erlang:system_info(wordsize),
    G = lists:foldl(fun(P, D) ->
      case erlang:process_info(P, [dictionary, memory, binary, total_heap_size, initial_call]) of
        [{dictionary, Di}, {memory, Me}, {binary, Bs}, {total_heap_size, H}, {initial_call, {M0, F0, _}}] ->
          K = case lists:keyfind('$initial_call', 1, Di) of
                {_, {M1, F1, _}} -> atom_to_list(M1) ++ ":" ++ atom_to_list(F1);
                _ -> atom_to_list(M0) ++ ":" ++ atom_to_list(F0) end,
          B = lists:sum([S div max(1, R) || {_, S, R} <- Bs]),
          {C, Ms, Bt, Ht} = maps:get(K, D, {0, 0, 0, 0}),
          maps:put(K, {C + 1, Ms + Me, Bt + B, Ht + H * W}, D);
        _ -> D
      end end, #{}, erlang:processes()),
    Top = lists:sublist(lists:reverse(lists:keysort(2, [{K, element(2, V), V} || {K, V} <- maps:to_list(G)])), 8),
    Ps = erlang:ports(),
    PM = lists:sum([case erlang:port_info(P, memory) of {memory, X} -> X; _ -> 0 end || P <- Ps]),
    Size = fun(L) -> lists:sum([case lists:keyfind(size, 1, P) of {size, S, _, _} -> S; _ -> 0 end
                                || {_, P} <- case lists:keyfind(blocks, 1, L) of {blocks, Bl} -> Bl; _ -> [] end]) end,
    Carriers = fun(L) -> case lists:keyfind(carriers_size, 1, L) of {_, C, _, _} -> C; _ -> 0 end end,
    Alloc = fun(A) ->
      lists:foldl(fun({instance, _, Info}, {C0, B0}) ->
          lists:foldl(fun(Kind, {C1, B1}) ->
              case lists:keyfind(Kind, 1, Info) of {Kind, L} -> {C1 + Carriers(L), B1 + Size(L)}; _ -> {C1, B1} end
            end, {C0, B0}, [mbcs, sbcs]);
        (_, Acc) -> Acc end, {0, 0}, case erlang:system_info({allocator, A}) of L when is_list(L) -> L; _ -> [] end)
    end,
    As = [{A, Alloc(A)} || A <- erlang:system_info(alloc_util_allocators)],
    {erlang:memory(), [{K, V} || {K, _, V} <- Top], {length(Ps), PM}, As}
  end,
  {Mem, Groups, {PC, PMem}, As} = rpc:call(N, erlang, apply, [F, []]),
  [io:format("alloc ~s ~b ~b~n", [A, C, B]) || {A, {C, B}} <- As],
  [io:format("memory ~s ~b~n", [K, V]) || {K, V} <- Mem],
  [io:format("group ~s ~b ~b ~b ~b~n", [K, C, M, B, H]) || {K, {C, M, B, H}} <- Groups],
  io:format("ports all ~b ~b~n", [PC, PMem])`;

export interface Breakdown {
  /** erlang:memory(), in bytes. */
  erlang: Record<string, number>;
  processGroups: { initialCall: string; count: number; bytes: number; binaryBytes: number; heapBytes: number }[];
  ports: { count: number; bytes: number };
  /** Per alloc_util allocator: bytes in its carriers (what the OS gave) and in its blocks (what is in use). */
  allocators: Record<string, { carrierBytes: number; blockBytes: number }>;
}

/** Parses the probe's lines. */
export function parseBreakdown(text: string): Breakdown {
  const result: Breakdown = { erlang: {}, processGroups: [], ports: { count: 0, bytes: 0 }, allocators: {} };
  for (const line of text.split("\n")) {
    const [kind, name, ...nums] = line.trim().split(/\s+/);
    const n = nums.map(Number);
    if (kind === "memory") result.erlang[name] = n[0];
    else if (kind === "group") {
      result.processGroups.push({ initialCall: name, count: n[0], bytes: n[1], binaryBytes: n[2], heapBytes: n[3] });
    } else if (kind === "ports") result.ports = { count: n[0], bytes: n[1] };
    else if (kind === "alloc") result.allocators[name] = { carrierBytes: n[0], blockBytes: n[1] };
  }
  return result;
}

/** erlang:memory(), the largest process groups and the ports of one node. */
export async function breakdown(target: ErlangTarget): Promise<Breakdown> {
  return parseBreakdown(await erlEval(target, breakdownExpr));
}

/** Garbage-collects every process of the node now: what hibernating every idle process would at least reclaim. */
export async function collectAll(target: ErlangTarget): Promise<void> {
  await erlEval(
    target,
    "rpc:call(N, erlang, apply, [fun() -> [erlang:garbage_collect(P) || P <- erlang:processes()] end, []])",
  );
}
