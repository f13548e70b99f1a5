/**
 * Text formatting the way the Bot API server does it: parse_mode "HTML" / "MarkdownV2" → plain text + entities,
 * with Telegram-like "can't parse entities" errors, plus auto-detected entities (commands, links, mentions).
 * Offsets and lengths are UTF-16 code units, like Telegram's.
 */
import type { MessageEntity } from "grammy/types";

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** Thrown for malformed markup; `message` is the part after "Bad Request: can't parse entities: ". */
export class EntityParseError extends Error {}

const byteOffset = (src: string, index: number): number => Buffer.byteLength(src.slice(0, index));

type Open = { tag: string; start: number; srcIndex: number; entity: Partial<MessageEntity> | null };

const HTML_SIMPLE: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
};

function decodeHtmlEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, (m, name: string) => {
    if (name === "lt") return "<";
    if (name === "gt") return ">";
    if (name === "amp") return "&";
    if (name === "quot") return '"';
    const code = name.startsWith("#x")
      ? Number.parseInt(name.slice(2), 16)
      : Number.parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function parseAttrs(s: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of s.matchAll(/([a-zA-Z_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const key = m[1];
    if (key !== undefined) attrs[key.toLowerCase()] = decodeHtmlEntities(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attrs;
}

export function parseHtml(src: string): FormattedText {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const chunkEnd = lt < 0 ? src.length : lt;
    out += decodeHtmlEntities(src.slice(i, chunkEnd));
    if (lt < 0) break;
    const gt = src.indexOf(">", lt);
    if (gt < 0) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOffset(src, lt)}`);
    const inner = src.slice(lt + 1, gt);
    i = gt + 1;
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = stack.pop();
      if (!top) throw new EntityParseError(`Unexpected end tag at byte offset ${byteOffset(src, lt)}`);
      if (name !== "" && name !== top.tag) {
        throw new EntityParseError(
          `Unmatched end tag at byte offset ${byteOffset(src, lt)}, expected "</${top.tag}>", found "</${name}>"`,
        );
      }
      const length = out.length - top.start;
      if (top.entity && length > 0)
        entities.push({ ...top.entity, offset: top.start, length } as MessageEntity);
      continue;
    }
    const nameMatch = /^([a-zA-Z0-9-]*)/.exec(inner);
    const name = (nameMatch?.[1] ?? "").toLowerCase();
    const attrs = parseAttrs(inner.slice(name.length));
    let entity: Partial<MessageEntity> | null;
    const simple = HTML_SIMPLE[name];
    if (simple !== undefined) {
      entity = { type: simple };
      const parent = stack[stack.length - 1];
      if (name === "code" && parent?.tag === "pre" && parent.entity && attrs.class?.startsWith("language-")) {
        (parent.entity as { language?: string }).language = attrs.class.slice("language-".length);
        entity = null;
      }
    } else if (name === "span") {
      if (attrs.class !== "tg-spoiler") throw new EntityParseError('Tag "span" must have class "tg-spoiler"');
      entity = { type: "spoiler" };
    } else if (name === "a") {
      const href = attrs.href ?? "";
      const userId = /^tg:\/\/user\?id=(\d+)$/.exec(href)?.[1];
      entity = userId
        ? ({
            type: "text_mention",
            user: { id: Number(userId), is_bot: false, first_name: "" },
          } as Partial<MessageEntity>)
        : href
          ? { type: "text_link", url: href }
          : null;
    } else if (name === "blockquote") {
      entity = { type: "expandable" in attrs ? "expandable_blockquote" : "blockquote" };
    } else if (name === "tg-emoji") {
      entity = { type: "custom_emoji", custom_emoji_id: attrs["emoji-id"] ?? "" } as Partial<MessageEntity>;
    } else {
      throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(src, lt)}`);
    }
    stack.push({ tag: name, start: out.length, srcIndex: lt, entity });
  }
  const open = stack.pop();
  if (open) throw new EntityParseError(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return { text: out, entities: sortEntities(entities) };
}

const MD_RESERVED = new Set("_*[]()~`>#+-=|{}.!".split(""));
const MD_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  text_link: "TextUrl",
  blockquote: "BlockQuote",
};

export function parseMarkdownV2(src: string): FormattedText {
  let out = "";
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  let quoteStart = -1;
  const reserved = (c: string): never => {
    throw new EntityParseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  };
  const toggle = (type: MessageEntity["type"], i: number) => {
    const top = stack[stack.length - 1];
    if (top?.tag === type) {
      stack.pop();
      if (out.length > top.start)
        entities.push({ type, offset: top.start, length: out.length - top.start } as MessageEntity);
    } else if (stack.some((o) => o.tag === type)) {
      const o = stack.find((x) => x.tag === type) as Open;
      throw new EntityParseError(
        `Can't find end of ${MD_NAMES[type] ?? type} entity at byte offset ${byteOffset(src, o.srcIndex)}`,
      );
    } else {
      stack.push({ tag: type, start: out.length, srcIndex: i, entity: null });
    }
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const atLineStart = i === 0 || src[i - 1] === "\n";
    if (atLineStart && c === ">") {
      if (quoteStart < 0) quoteStart = out.length;
      i++;
      continue;
    }
    if (atLineStart && quoteStart >= 0 && i > 0) {
      // previous line was quoted, this one is not
      const end = out.endsWith("\n") ? out.length - 1 : out.length;
      if (end > quoteStart)
        entities.push({ type: "blockquote", offset: quoteStart, length: end - quoteStart });
      quoteStart = -1;
    }
    if (c === "\\") {
      const next = src[i + 1];
      if (next === undefined || next.charCodeAt(0) > 126) reserved("\\");
      out += next;
      i += 2;
      continue;
    }
    if (c === "`") {
      const isPre = src.startsWith("```", i);
      const fence = isPre ? "```" : "`";
      let j = i + fence.length;
      let body = "";
      while (j < src.length && !src.startsWith(fence, j)) {
        if (src[j] === "\\" && j + 1 < src.length) {
          body += src[j + 1];
          j += 2;
        } else body += src[j++];
      }
      if (j >= src.length) {
        throw new EntityParseError(
          `Can't find end of ${isPre ? "PreCode" : "Code"} entity at byte offset ${byteOffset(src, i)}`,
        );
      }
      const entity: MessageEntity = {
        type: isPre ? "pre" : "code",
        offset: out.length,
        length: 0,
      } as MessageEntity;
      if (isPre) {
        const nl = body.indexOf("\n");
        const firstLine = nl >= 0 ? body.slice(0, nl) : "";
        if (nl >= 0 && /^[^\s`]+$/.test(firstLine)) {
          (entity as { language?: string }).language = firstLine;
          body = body.slice(nl + 1);
        } else if (nl === 0) body = body.slice(1);
      }
      entity.offset = out.length;
      out += body;
      entity.length = body.length;
      if (body.length > 0) entities.push(entity);
      i = j + fence.length;
      continue;
    }
    if (c === "*") {
      toggle("bold", i);
      i++;
    } else if (c === "_") {
      if (src[i + 1] === "_") {
        toggle("underline", i);
        i += 2;
      } else {
        toggle("italic", i);
        i++;
      }
    } else if (c === "~") {
      toggle("strikethrough", i);
      i++;
    } else if (c === "|" && src[i + 1] === "|") {
      toggle("spoiler", i);
      i += 2;
    } else if (c === "[" || (c === "!" && src[i + 1] === "[")) {
      stack.push({ tag: c === "!" ? "emoji" : "link", start: out.length, srcIndex: i, entity: null });
      i += c === "!" ? 2 : 1;
    } else if (c === "]") {
      const top = stack[stack.length - 1];
      if (top?.tag !== "link" && top?.tag !== "emoji") reserved(c);
      if (src[i + 1] !== "(") {
        throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(src, i + 1)}`);
      }
      let j = i + 2;
      let url = "";
      while (j < src.length && src[j] !== ")") {
        if (src[j] === "\\" && j + 1 < src.length) {
          url += src[j + 1];
          j += 2;
        } else url += src[j++];
      }
      if (j >= src.length)
        throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(src, i + 1)}`);
      const open = stack.pop() as Open;
      const length = out.length - open.start;
      if (length > 0) {
        const emojiId = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)?.[1];
        entities.push(
          (open.tag === "emoji"
            ? { type: "custom_emoji", offset: open.start, length, custom_emoji_id: emojiId ?? "" }
            : { type: "text_link", offset: open.start, length, url }) as MessageEntity,
        );
      }
      i = j + 1;
    } else if (MD_RESERVED.has(c)) {
      reserved(c);
    } else {
      out += c;
      i++;
    }
  }
  if (quoteStart >= 0 && out.length > quoteStart) {
    entities.push({ type: "blockquote", offset: quoteStart, length: out.length - quoteStart });
  }
  const open = stack.pop();
  if (open) {
    const name = open.tag === "link" || open.tag === "emoji" ? "TextUrl" : (MD_NAMES[open.tag] ?? open.tag);
    throw new EntityParseError(
      `Can't find end of ${name} entity at byte offset ${byteOffset(src, open.srcIndex)}`,
    );
  }
  return { text: out, entities: sortEntities(entities) };
}

/** Entities Telegram detects by itself in plain text: bot commands, URLs, e-mails, @mentions, #hashtags. */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  const patterns: [RegExp, MessageEntity["type"]][] = [
    [/(?<=^|[\s(])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g, "bot_command"],
    [/\bhttps?:\/\/[^\s<>"]+[^\s<>".,:;!?)\]'»]/g, "url"],
    [
      /(?<![\w/.@-])(?:[a-z0-9-]+\.)+(?:ru|рф|com|org|net|io|me|gov|su)(?:\/[^\s<>"]*[^\s<>".,:;!?)\]'»])?(?![\w@])/giu,
      "url",
    ],
    [/\b[\w.+-]+@[\w-]+\.[\w.-]*[a-z]{2,}\b/gi, "email"],
    [/(?<=^|[^\w@])@[A-Za-z0-9_]{5,32}\b/g, "mention"],
    [/(?<=^|[^\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu, "hashtag"],
  ];
  for (const [re, type] of patterns) {
    for (const m of text.matchAll(re)) {
      const offset = m.index ?? 0;
      const length = m[0].length;
      if (!found.some((e) => offset < e.offset + e.length && e.offset < offset + length)) {
        found.push({ type, offset, length } as MessageEntity);
      }
    }
  }
  return sortEntities(found);
}

/** Adds auto-detected entities that don't overlap code/pre/link entities, as the server does for sent text. */
export function withDetectedEntities(text: string, entities: MessageEntity[]): MessageEntity[] {
  const blocking = entities.filter((e) =>
    ["code", "pre", "text_link", "url", "email", "mention"].includes(e.type),
  );
  const extra = detectEntities(text).filter(
    (d) => !blocking.some((e) => d.offset < e.offset + e.length && e.offset < d.offset + d.length),
  );
  return sortEntities([...entities, ...extra]);
}

export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Applies parse_mode / explicit entities to a text or caption like Telegram does. */
export function formatText(raw: string, parseMode: unknown, explicitEntities: unknown): FormattedText {
  if (Array.isArray(explicitEntities)) {
    return {
      text: raw,
      entities: withDetectedEntities(raw, sortEntities(explicitEntities as MessageEntity[])),
    };
  }
  const mode = typeof parseMode === "string" ? parseMode.toLowerCase() : "";
  const parsed =
    mode === "html"
      ? parseHtml(raw)
      : mode === "markdownv2"
        ? parseMarkdownV2(raw)
        : { text: raw, entities: [] as MessageEntity[] };
  return { text: parsed.text, entities: withDetectedEntities(parsed.text, parsed.entities) };
}
