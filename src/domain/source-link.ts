/**
 * Links to citizens' posts: which social network a post is in, and a duplicate key
 * so that the same post pasted in different shapes (mobile host, tracking parameters,
 * trailing slash, short link) is recognised as one, while each comment under a post
 * is a post of its own.
 */

export type Network =
  | "vk"
  | "ok"
  | "telegram"
  | "dzen"
  | "youtube"
  | "rutube"
  | "max"
  | "instagram"
  | "facebook"
  | "x"
  | "tiktok"
  | "other";

export const NETWORK_NAMES: Record<Network, string> = {
  vk: "ВКонтакте",
  ok: "Одноклассники",
  telegram: "Telegram",
  dzen: "Дзен",
  youtube: "YouTube",
  rutube: "RuTube",
  max: "MAX",
  instagram: "Instagram",
  facebook: "Facebook",
  x: "X (Twitter)",
  tiktok: "TikTok",
  other: "другой источник",
};

export type LinkProblem = "empty" | "not_url" | "not_http" | "no_host" | "too_long";

export type ParsedLink =
  | {
      ok: true;
      /** Normalised absolute https URL (tracking parameters removed). */
      url: string;
      /** Duplicate key: the same post gives the same key. */
      key: string;
      network: Network;
      /** Lower-case (punycode) host without `www.`. */
      host: string;
      /** Whether it shows one post or comment of a known network, not a profile, community or other site. */
      post: boolean;
    }
  | { ok: false; problem: LinkProblem };

export const MAX_LINK_LENGTH = 2048;

/** Domains of each network; subdomains (m., web., vm., …) belong to the same network. */
const NETWORK_DOMAINS: ReadonlyArray<readonly [string, Network]> = [
  ["vk.com", "vk"],
  ["vk.ru", "vk"],
  ["vkvideo.ru", "vk"],
  ["vk.cc", "vk"],
  ["ok.ru", "ok"],
  ["odnoklassniki.ru", "ok"],
  ["t.me", "telegram"],
  ["telegram.me", "telegram"],
  ["telegram.org", "telegram"],
  ["dzen.ru", "dzen"],
  ["zen.yandex.ru", "dzen"],
  ["youtube.com", "youtube"],
  ["youtu.be", "youtube"],
  ["rutube.ru", "rutube"],
  ["max.ru", "max"],
  ["instagram.com", "instagram"],
  ["facebook.com", "facebook"],
  ["fb.com", "facebook"],
  ["x.com", "x"],
  ["twitter.com", "x"],
  ["tiktok.com", "tiktok"],
];

/** Hosts that show the same pages as another host (after `www.`/`m.` are removed). */
const HOST_ALIASES: Readonly<Record<string, string>> = {
  "vk.ru": "vk.com",
  "vkvideo.ru": "vk.com",
  "odnoklassniki.ru": "ok.ru",
  "telegram.me": "t.me",
  "zen.yandex.ru": "dzen.ru",
  "fb.com": "facebook.com",
  "twitter.com": "x.com",
  "mobile.twitter.com": "x.com",
  "mobile.x.com": "x.com",
};

/** Parameters that only say where a click came from; dropped everywhere. */
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "yclid",
  "ysclid",
  "_openstat",
  "_ga",
  "_gl",
  "mc_cid",
  "mc_eid",
  "si",
  "ref",
  "ref_src",
  "ref_url",
  "referrer",
  "from",
  "feature",
  "share",
  "share_id",
  "igshid",
  "igsh",
  "mibextid",
  "rdid",
  "is_from_webapp",
  "sender_device",
  "sender_web_id",
  "is_copy_url",
]);

/**
 * Parameters that do not change which post is shown in a given network; dropped from the key only.
 * Telegram's `comment` (a comment under a channel post) and `thread` stay: they name another message.
 */
const KEY_IGNORED_PARAMS: Partial<Record<Network, ReadonlySet<string>>> = {
  telegram: new Set(["single", "embed", "t"]),
  dzen: new Set(["share_to"]),
  rutube: new Set(["r"]),
  x: new Set(["s", "t"]),
  tiktok: new Set(["_t", "_r", "lang"]),
};

const WRAPPERS = /^[\s<>"'«»“”„‘’`]+|[\s<>"'«»“”„‘’`]+$/gu;

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("utm_") || TRACKING_PARAMS.has(lower);
}

function networkOf(host: string): Network {
  for (const [domain, network] of NETWORK_DOMAINS) {
    if (host === domain || host.endsWith(`.${domain}`)) return network;
  }
  return "other";
}

function stripPrefix(host: string, prefix: string): string {
  return host.startsWith(prefix) && host.slice(prefix.length).includes(".")
    ? host.slice(prefix.length)
    : host;
}

function keyHost(host: string): string {
  const bare = stripPrefix(stripPrefix(host, "www."), "m.");
  return HOST_ALIASES[bare] ?? bare;
}

function sortedQuery(params: Iterable<[string, string]>): string {
  const list = [...params].sort(([a, av], [b, bv]) =>
    a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0,
  );
  return new URLSearchParams(list).toString();
}

/** What the duplicate key is made of. */
interface KeyParts {
  host: string;
  path: string;
  params: Array<[string, string]>;
}

/** One video whatever the link's shape (youtu.be, shorts, watch); `lc` is a comment under it. */
function youtubeParts({ host, path, params }: KeyParts): KeyParts {
  const id =
    host === "youtu.be"
      ? /^\/([\w-]+)$/.exec(path)?.[1]
      : /^\/(?:shorts|live|embed)\/([\w-]+)$/.exec(path)?.[1];
  if (id === undefined && path !== "/watch") return { host, path, params };
  const comment = params.filter(([name]) => name === "lc");
  const video: Array<[string, string]> =
    id === undefined ? params.filter(([name]) => name === "v") : [["v", id]];
  return { host: "youtube.com", path: "/watch", params: [...video, ...comment] };
}

/** Telegram's channel names ignore case (`t.me/GeorgievskAdm/1` is `t.me/georgievskadm/1`); `/s/` is its web preview. */
function telegramParts(parts: KeyParts): KeyParts {
  return parts.host === "t.me" ? { ...parts, path: parts.path.replace(/^\/s\//, "/").toLowerCase() } : parts;
}

const VK_WALL_POST = /^wall-?\d+_\d+$/;

/**
 * A wall post is `wall<owner>_<post>`, on its own page or opened over another one (`club1?w=wall-1_2`);
 * `reply` is a comment under it. A comment's id is unique on its wall, so `thread` (the comment it
 * answers) and the page's other parameters do not change which post or comment it is.
 */
function vkParts({ host, path, params }: KeyParts): KeyParts {
  if (host !== "vk.com") return { host, path, params };
  const opened = params.find(([name, value]) => name === "w" && VK_WALL_POST.test(value))?.[1];
  const wall = VK_WALL_POST.test(path.slice(1)) ? path.slice(1) : opened;
  if (wall === undefined) return { host, path, params };
  return { host, path: `/${wall}`, params: params.filter(([name]) => name === "reply").slice(0, 1) };
}

const KEY_PARTS: Partial<Record<Network, (parts: KeyParts) => KeyParts>> = {
  youtube: youtubeParts,
  telegram: telegramParts,
  vk: vkParts,
};

function keyParts(url: URL, network: Network): KeyParts {
  const ignored = KEY_IGNORED_PARAMS[network];
  const parts: KeyParts = {
    host: keyHost(url.hostname),
    path: url.pathname.replace(/\/+$/, ""),
    params: [...url.searchParams].filter(([name]) => !ignored?.has(name)),
  };
  return KEY_PARTS[network]?.(parts) ?? parts;
}

function duplicateKey({ host, path, params }: KeyParts): string {
  const query = sortedQuery(params);
  return `${host}${path}${query === "" ? "" : `?${query}`}`;
}

const has = (params: KeyParts["params"], name: string) => params.some(([key]) => key === name);

/**
 * Pages that show one post, video or comment in each network, as opposed to a profile, a community,
 * a feed or a short link that could lead anywhere. Read from the key's parts (hosts folded).
 */
const POST_PAGE: Record<Network, (parts: KeyParts) => boolean> = {
  vk: ({ path }) => /^\/(?:wall|video|clip|photo|topic)-?\d+_\d+$/.test(path),
  ok: ({ path, params }) =>
    /\/(?:topic|statuses|video)\/\d+$/.test(path) || has(params, "st.topicId") || has(params, "st.discId"),
  telegram: ({ host, path }) => host === "t.me" && /^\/\w+(?:\/\d+){1,2}$/.test(path),
  dzen: ({ path }) => /^\/(?:(?:a|b|shorts|video\/watch)\/[\w-]+|media\/[^/]+\/[^/]+)$/.test(path),
  youtube: ({ path, params }) => (path === "/watch" && has(params, "v")) || /^\/post\/[\w-]+$/.test(path),
  rutube: ({ path }) => /^\/(?:video|shorts)\/[\w/-]+$/.test(path),
  // A MAX channel is one path segment; its posts are below it.
  max: ({ path }) => /^\/[^/]+\/[^/]+/.test(path),
  instagram: ({ path }) => /^\/(?:[\w.]+\/)?(?:p|reels?|tv)\/[\w-]+$|^\/stories\/[\w.]+\/\d+$/.test(path),
  facebook: ({ path, params }) =>
    /\/(?:posts|videos|permalink|reel|photos)\/|^\/share\/[prv]\/|^\/(?:story|permalink|photo)\.php$/.test(
      path,
    ) ||
    (path === "/watch" && has(params, "v")),
  x: ({ path }) => /^\/(?:\w+|i\/web)\/status\/\d+$/.test(path),
  tiktok: ({ host, path }) =>
    /^v[mt]\.tiktok\.com$/.test(host) || /^\/@[\w.-]+\/(?:video|photo)\/\d+$/.test(path),
  other: () => false,
};

const TRAILING_PUNCTUATION = /[.,;:!?…'’)\]}»]$/u;

function trimTrailing(link: string): string {
  let result = link;
  while (TRAILING_PUNCTUATION.test(result)) {
    const last = result.at(-1);
    const open = last === ")" ? "(" : last === "]" ? "[" : last === "}" ? "{" : undefined;
    if (open !== undefined && result.split(open).length >= result.split(last ?? "").length) break;
    result = result.slice(0, -1);
  }
  return result;
}

/**
 * Reads a link as a person pasted it: with or without a scheme, in angle brackets or quotes, with
 * the full stop or comma of a sentence after it. Only http(s) links to a host with a dot are
 * accepted; the result is always https.
 */
export function parseSourceLink(input: string): ParsedLink {
  const text = trimTrailing(input.replace(WRAPPERS, "")).replace(WRAPPERS, "");
  if (text === "") return { ok: false, problem: "empty" };
  if (text.length > MAX_LINK_LENGTH) return { ok: false, problem: "too_long" };

  let absolute: string;
  const scheme = /^([a-z][a-z\d+.-]*):(?!\s)/i.exec(text);
  const isPort = scheme !== null && /^\d+(?:[/?#]|$)/.test(text.slice(scheme[0].length));
  if (scheme !== null && !isPort) {
    const name = scheme[1]?.toLowerCase();
    if (name !== "http" && name !== "https") return { ok: false, problem: "not_http" };
    if (!/^[/\\]{2}[^/\\?#]/.test(text.slice(scheme[0].length))) return { ok: false, problem: "no_host" };
    absolute = text;
  } else if (text.startsWith("//")) {
    absolute = `https:${text}`;
  } else {
    absolute = `https://${text}`;
  }
  if (/\s/.test(absolute)) return { ok: false, problem: "not_url" };

  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return { ok: false, problem: "not_url" };
  }
  url.hostname = url.hostname.replace(/\.$/, "");
  const hostname = url.hostname;
  const hasDottedHost = /^[^.]+(?:\.[^.]+)+$/.test(hostname);
  if (!hasDottedHost) return { ok: false, problem: scheme !== null && !isPort ? "no_host" : "not_url" };

  url.protocol = "https:";
  url.username = "";
  url.password = "";
  for (const name of new Set(url.searchParams.keys())) {
    if (isTracking(name)) url.searchParams.delete(name);
  }

  const network = networkOf(stripPrefix(hostname, "www."));
  const parts = keyParts(url, network);
  return {
    ok: true,
    url: url.href,
    key: duplicateKey(parts),
    network,
    host: stripPrefix(hostname, "www."),
    post: POST_PAGE[network](parts),
  };
}

const KNOWN_BARE_DOMAIN = NETWORK_DOMAINS.map(([domain]) => domain.replaceAll(".", "\\."))
  .sort((a, b) => b.length - a.length)
  .join("|");

/** An http(s) URL, or a known network's domain followed by a path (`vk.com/wall-1_2`). */
const LINK_IN_TEXT = new RegExp(
  `https?:\\/\\/[^\\s<>"«»“”]+|(?<![\\p{L}\\p{N}_.@/:-])(?:[a-z\\d-]+\\.)*(?:${KNOWN_BARE_DOMAIN})\\/[^\\s<>"«»“”]*`,
  "giu",
);

/**
 * Links found in free text (e.g. a forwarded post), in order of appearance, each once,
 * without trailing punctuation. Bare domains count only for known networks and need a path;
 * links that `parseSourceLink` rejects (e.g. `http://localhost/`) are left out.
 */
export function findLinks(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(LINK_IN_TEXT)) {
    const link = trimTrailing(match[0]);
    if (parseSourceLink(link).ok && !found.includes(link)) found.push(link);
  }
  return found;
}

/**
 * The post's link in a message that holds more than a link («вот пост: https://vk.com/wall-1_2»):
 * the first link to a post of a known network, else the first link; undefined with none.
 */
export function postLinkIn(text: string): ParsedLink | undefined {
  const parsed = findLinks(text).map(parseSourceLink);
  return parsed.find((link) => link.ok && link.post) ?? parsed[0];
}

/**
 * Networks whose comments (replies) have links of their own, told apart from the post's: VK's
 * `reply=`, Telegram's `comment=`, YouTube's `lc=`, a reply on X, a post of its own. Elsewhere
 * (Одноклассники, Дзен…) a comment under the post may have no link but the post's.
 */
const COMMENT_LINKS: Network[] = ["vk", "telegram", "youtube", "x"];

export const commentsHaveLinks = (network: Network) => COMMENT_LINKS.includes(network);

/** The parameters of a key that name a comment under the post the rest of the key names. */
const COMMENT_PARAMS = new Set(["reply", "comment", "lc"]);

/**
 * The key of the post a comment's link is under (VK's `reply=`, Telegram's `comment=`, YouTube's
 * `lc=`); a post's own key for any other link. Two links in one thread have the same.
 */
export function threadKeyOf(key: string): string {
  const at = key.indexOf("?");
  if (at < 0) return key;
  const kept = new URLSearchParams(key.slice(at + 1));
  for (const name of COMMENT_PARAMS) kept.delete(name);
  const query = kept.toString();
  return `${key.slice(0, at)}${query === "" ? "" : `?${query}`}`;
}

/** Whether a key names a comment under a post (see threadKeyOf). */
export const isCommentKey = (key: string) => threadKeyOf(key) !== key;

/** Whether a link in network `b` (e.g. an answer's publication) is in the same network as `a` (the post). */
export function sameNetwork(a: Network, b: Network): boolean {
  return a === b;
}
