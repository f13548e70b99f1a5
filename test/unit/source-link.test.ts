import { describe, expect, it } from "vitest";
import {
  findLinks,
  isCommentKey,
  MAX_LINK_LENGTH,
  NETWORK_NAMES,
  type Network,
  type ParsedLink,
  parseSourceLink,
  sameNetwork,
  threadKeyOf,
} from "../../src/domain/source-link.js";

function parsed(input: string): Extract<ParsedLink, { ok: true }> {
  const result = parseSourceLink(input);
  if (!result.ok) throw new Error(`expected ${input} to parse, got ${result.problem}`);
  return result;
}

function problemOf(input: string): string {
  const result = parseSourceLink(input);
  if (result.ok) throw new Error(`expected ${input} to be rejected, got ${result.url}`);
  return result.problem;
}

const keyOf = (input: string): string => parsed(input).key;

describe("parseSourceLink: accepting what people paste", () => {
  it("adds https to a link without a scheme", () => {
    expect(parsed("vk.com/wall-1_2")).toMatchObject({
      url: "https://vk.com/wall-1_2",
      network: "vk",
      host: "vk.com",
    });
  });

  it("upgrades http to https", () => {
    expect(parsed("http://ok.ru/group/1/topic/2").url).toBe("https://ok.ru/group/1/topic/2");
  });

  it("accepts a scheme in capitals and lower-cases the host", () => {
    expect(parsed("HTTPS://VK.COM/wall-1_2")).toMatchObject({
      url: "https://vk.com/wall-1_2",
      host: "vk.com",
    });
  });

  it("trims spaces, angle brackets, quotes and guillemets", () => {
    for (const input of [
      "  https://t.me/channel/15  ",
      "<https://t.me/channel/15>",
      '"https://t.me/channel/15"',
      "«https://t.me/channel/15»",
      "“t.me/channel/15”",
    ]) {
      expect(parsed(input).url).toBe("https://t.me/channel/15");
    }
  });

  it("accepts a protocol-relative link", () => {
    expect(parsed("//rutube.ru/video/abc/").url).toBe("https://rutube.ru/video/abc/");
  });

  it("accepts a host with a port and no scheme", () => {
    expect(parsed("example.org:8443/news/1")).toMatchObject({
      url: "https://example.org:8443/news/1",
      network: "other",
    });
  });

  it("drops credentials from the URL", () => {
    expect(parsed("https://user:secret@example.org/a").url).toBe("https://example.org/a");
  });

  it("removes tracking parameters from the normalised URL but keeps the fragment", () => {
    expect(parsed("https://vk.com/wall-1_2?utm_source=tg&utm_medium=x&fbclid=abc#comments").url).toBe(
      "https://vk.com/wall-1_2#comments",
    );
  });

  it("handles internationalised domain names as punycode in network 'other'", () => {
    const link = parsed("https://госуслуги.рф/help/faq");
    expect(link.network).toBe("other");
    expect(link.host).toBe("xn--c1aapkosapc.xn--p1ai");
    expect(link.url).toBe("https://xn--c1aapkosapc.xn--p1ai/help/faq");
  });

  it("accepts a Cyrillic domain without a scheme", () => {
    expect(parsed("администрация.рф/новости").network).toBe("other");
  });

  it("reports the host without www. but keeps a mobile prefix", () => {
    expect(parsed("https://www.youtube.com/watch?v=abc").host).toBe("youtube.com");
    expect(parsed("https://m.vk.com/wall-1_2").host).toBe("m.vk.com");
  });
});

describe("parseSourceLink: rejecting what is not a web link", () => {
  it("reports empty input, including only spaces or wrappers", () => {
    expect(problemOf("")).toBe("empty");
    expect(problemOf("   ")).toBe("empty");
    expect(problemOf(" <> ")).toBe("empty");
  });

  it("rejects non-http schemes", () => {
    expect(problemOf("javascript:alert(1)")).toBe("not_http");
    expect(problemOf("mailto:head@admin.ru")).toBe("not_http");
    expect(problemOf("ftp://files.example.org/a.txt")).toBe("not_http");
    expect(problemOf("tel:+78001234567")).toBe("not_http");
  });

  it("rejects plain text", () => {
    expect(problemOf("hello")).toBe("not_url");
    expect(problemOf("просто текст жалобы")).toBe("not_url");
    expect(problemOf("Ссылка: vk.com/wall-1_2")).toBe("not_url");
  });

  it("rejects http links without a dotted host", () => {
    expect(problemOf("https://")).toBe("no_host");
    expect(problemOf("https:///wall-1_2")).toBe("no_host");
    expect(problemOf("http://localhost:3000/x")).toBe("no_host");
  });

  it("rejects links longer than the limit and accepts one at the limit", () => {
    const base = "https://example.org/";
    expect(parsed(base + "a".repeat(MAX_LINK_LENGTH - base.length)).ok).toBe(true);
    expect(problemOf(base + "a".repeat(MAX_LINK_LENGTH - base.length + 1))).toBe("too_long");
  });
});

describe("parseSourceLink: networks", () => {
  const cases: Array<[string, Network]> = [
    ["vk.com/wall-1_2", "vk"],
    ["m.vk.com/wall-1_2", "vk"],
    ["vk.ru/wall-1_2", "vk"],
    ["vkvideo.ru/video-1_2", "vk"],
    ["vk.cc/abc", "vk"],
    ["ok.ru/group/1/topic/2", "ok"],
    ["m.ok.ru/group/1/topic/2", "ok"],
    ["odnoklassniki.ru/group/1", "ok"],
    ["t.me/channel/15", "telegram"],
    ["telegram.me/channel/15", "telegram"],
    ["telegram.org/blog", "telegram"],
    ["dzen.ru/a/abc", "dzen"],
    ["zen.yandex.ru/media/abc", "dzen"],
    ["youtube.com/watch?v=abc", "youtube"],
    ["m.youtube.com/watch?v=abc", "youtube"],
    ["youtu.be/abc", "youtube"],
    ["rutube.ru/video/abc/", "rutube"],
    ["max.ru/channel/1", "max"],
    ["web.max.ru/123", "max"],
    ["instagram.com/p/abc/", "instagram"],
    ["facebook.com/story.php?id=1", "facebook"],
    ["fb.com/1", "facebook"],
    ["m.facebook.com/1", "facebook"],
    ["x.com/user/status/1", "x"],
    ["twitter.com/user/status/1", "x"],
    ["tiktok.com/@user/video/1", "tiktok"],
    ["vm.tiktok.com/ZMabc/", "tiktok"],
    ["www.vk.com/wall-1_2", "vk"],
    ["orenburg.ru/news/1", "other"],
  ];

  it.each(cases)("recognises %s as %s", (input, network) => {
    expect(parsed(input).network).toBe(network);
  });

  it("does not mistake look-alike domains for a network", () => {
    expect(parsed("notvk.com/wall-1_2").network).toBe("other");
    expect(parsed("vk.com.evil.example/wall-1_2").network).toBe("other");
    expect(parsed("t.me.example.org/x").network).toBe("other");
  });
});

describe("parseSourceLink: duplicate key", () => {
  it("folds the mobile host, tracking parameters and trailing slash", () => {
    expect(keyOf("https://m.vk.com/wall-123_456?utm_source=x")).toBe(keyOf("vk.com/wall-123_456/"));
    expect(keyOf("vk.com/wall-123_456/")).toBe("vk.com/wall-123_456");
  });

  it("folds www., http and vk.ru into the same key", () => {
    expect(keyOf("http://www.vk.ru/wall-1_2")).toBe(keyOf("https://vk.com/wall-1_2"));
  });

  it("folds VK Video's own host into VK's: one video", () => {
    expect(keyOf("https://vkvideo.ru/video-1_2")).toBe(keyOf("https://vk.com/video-1_2"));
  });

  it("leaves out what the share buttons of Dzen and RuTube add", () => {
    expect(keyOf("https://dzen.ru/a/ZxYzAbC?share_to=link")).toBe(keyOf("https://dzen.ru/a/ZxYzAbC"));
    expect(keyOf("https://dzen.ru/a/Y?share_to=link&rid=7")).toBe("dzen.ru/a/Y?rid=7");
    expect(keyOf("https://rutube.ru/video/def/?r=wd&t=30")).toBe("rutube.ru/video/def?t=30");
    expect(keyOf("https://rutube.ru/video/cfdd6f62bb1bc0d0/?r=wd")).toBe(
      keyOf("https://rutube.ru/video/cfdd6f62bb1bc0d0/"),
    );
  });

  it("reads a whole pasted link without the sentence's full stop or comma after it", () => {
    const link = parseSourceLink("https://vk.com/wall-1_2.");
    expect(link.ok && link.url).toBe("https://vk.com/wall-1_2");
    expect(link.ok && link.post).toBe(true);
    expect(keyOf("«https://t.me/chan/15»,")).toBe(keyOf("https://t.me/chan/15"));
    expect(keyOf("https://ru.wikipedia.org/wiki/Орск_(город)")).toBe(
      "ru.wikipedia.org/wiki/%D0%9E%D1%80%D1%81%D0%BA_(%D0%B3%D0%BE%D1%80%D0%BE%D0%B4)",
    );
  });

  it("takes a VK wall post opened over a community, profile or feed as the post itself", () => {
    expect(keyOf("https://vk.com/club1?w=wall-1_2")).toBe(keyOf("https://vk.com/wall-1_2"));
    expect(keyOf("https://vk.com/public1?w=wall-1_2")).toBe(keyOf("https://vk.com/wall-1_2"));
    expect(keyOf("https://m.vk.com/id5?w=wall5_7")).toBe(keyOf("vk.com/wall5_7"));
    expect(keyOf("https://vk.com/feed?w=wall-1_2")).toBe("vk.com/wall-1_2");
    expect(keyOf("https://vk.com/feed?w=wall-1_2")).not.toBe(keyOf("https://vk.com/feed?w=wall-1_3"));
  });

  it("keeps other VK pages' parameters", () => {
    expect(keyOf("https://vk.com/feed?w=photo-1_2")).toBe("vk.com/feed?w=photo-1_2");
    expect(keyOf("https://vk.com/club1?w=wall-1_2")).not.toBe(keyOf("https://vk.com/club1"));
  });

  it("keeps Odnoklassniki's own parameters", () => {
    expect(keyOf("https://ok.ru/dk?st.cmd=altGroupMediaTopic&st.groupId=1&st.topicId=2&utm_campaign=z")).toBe(
      "ok.ru/dk?st.cmd=altGroupMediaTopic&st.groupId=1&st.topicId=2",
    );
  });

  it("drops the fragment", () => {
    expect(keyOf("https://vk.com/wall-1_2#reply")).toBe(keyOf("https://vk.com/wall-1_2"));
  });

  it("sorts the remaining query parameters", () => {
    expect(keyOf("example.org/p?b=2&a=1")).toBe(keyOf("example.org/p?a=1&b=2"));
    expect(keyOf("example.org/p?b=2&a=1")).toBe("example.org/p?a=1&b=2");
  });

  it("drops the common tracking parameters", () => {
    expect(
      keyOf(
        "https://example.org/news/1?utm_source=a&UTM_Medium=b&fbclid=c&si=d&ref=e&from=f&feature=g&share=h&yclid=i",
      ),
    ).toBe("example.org/news/1");
  });

  it("treats youtu.be, shorts and watch links to one video as duplicates", () => {
    const key = keyOf("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    expect(key).toBe("youtube.com/watch?v=dQw4w9WgXcQ");
    expect(keyOf("https://youtu.be/dQw4w9WgXcQ?si=abc&t=42")).toBe(key);
    expect(keyOf("https://m.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1&index=3&feature=share")).toBe(key);
    expect(keyOf("youtube.com/shorts/dQw4w9WgXcQ")).toBe(key);
  });

  it("keeps YouTube video ids case-sensitive", () => {
    expect(keyOf("youtu.be/AbC")).not.toBe(keyOf("youtu.be/abc"));
  });

  it("folds the Telegram web preview prefix and telegram.me", () => {
    expect(keyOf("https://t.me/s/channel/15")).toBe(keyOf("https://t.me/channel/15"));
    expect(keyOf("https://telegram.me/channel/15?single")).toBe("t.me/channel/15");
  });

  it("a Telegram channel's name in any case is one post (usernames ignore case)", () => {
    expect(keyOf("https://t.me/GeorgievskAdm/123")).toBe("t.me/georgievskadm/123");
    expect(keyOf("t.me/georgievskadm/123")).toBe(keyOf("https://t.me/s/GEORGIEVSKADM/123"));
    // The link itself is kept as given.
    expect(parsed("https://t.me/GeorgievskAdm/123").url).toBe("https://t.me/GeorgievskAdm/123");
  });

  it("folds twitter.com into x.com and drops its share parameters", () => {
    expect(keyOf("https://twitter.com/user/status/1?s=20&t=abc")).toBe("x.com/user/status/1");
  });

  it("folds zen.yandex.ru into dzen.ru and odnoklassniki.ru into ok.ru", () => {
    expect(keyOf("zen.yandex.ru/media/abc")).toBe(keyOf("dzen.ru/media/abc"));
    expect(keyOf("www.odnoklassniki.ru/group/1/topic/2")).toBe(keyOf("ok.ru/group/1/topic/2"));
  });

  it("gives different posts different keys", () => {
    expect(keyOf("vk.com/wall-1_2")).not.toBe(keyOf("vk.com/wall-1_3"));
    expect(keyOf("t.me/channel/15")).not.toBe(keyOf("t.me/channel/16"));
    expect(keyOf("example.org/p?id=1")).not.toBe(keyOf("example.org/p?id=2"));
  });

  it("gives each comment under one post its own key", () => {
    const pairs: Array<[string, string]> = [
      ["https://t.me/chan/1234?comment=5678", "https://t.me/chan/1234?comment=9999"],
      ["https://t.me/chan/1234", "https://t.me/chan/1234?comment=5678"],
      ["https://t.me/chat/5678?thread=1234", "https://t.me/chat/5679?thread=1234"],
      ["https://www.youtube.com/watch?v=abc&lc=UgA", "https://www.youtube.com/watch?v=abc&lc=UgB"],
      ["https://youtu.be/abc", "https://youtu.be/abc?lc=UgA"],
      ["https://vk.com/wall-1_2?reply=5", "https://vk.com/wall-1_2?reply=6"],
      ["https://vk.com/wall-1_2", "https://vk.com/wall-1_2?reply=5"],
      ["https://vk.com/club1?w=wall-1_2", "https://vk.com/wall-1_2?reply=5"],
    ];
    for (const [a, b] of pairs) expect(keyOf(a), `${a} vs ${b}`).not.toBe(keyOf(b));
  });

  it("folds one comment written differently into one key", () => {
    const telegram = keyOf("https://t.me/chan/1234?comment=5678");
    expect(telegram).toBe("t.me/chan/1234?comment=5678");
    for (const link of [
      "t.me/s/chan/1234/?comment=5678",
      "https://telegram.me/chan/1234?single&comment=5678&utm_source=share",
      "https://t.me/chan/1234?comment=5678&t=42#c",
    ]) {
      expect(keyOf(link), link).toBe(telegram);
    }
    const youtube = keyOf("https://www.youtube.com/watch?v=abc&lc=UgA");
    expect(youtube).toBe("youtube.com/watch?lc=UgA&v=abc");
    for (const link of [
      "https://m.youtube.com/watch?lc=UgA&v=abc&t=42&feature=share",
      "https://youtu.be/abc?lc=UgA&si=x",
      "youtube.com/shorts/abc?lc=UgA",
    ]) {
      expect(keyOf(link), link).toBe(youtube);
    }
    const vk = keyOf("https://vk.com/wall-1_2?reply=5");
    expect(vk).toBe("vk.com/wall-1_2?reply=5");
    for (const link of [
      "https://m.vk.ru/wall-1_2/?reply=5&utm_source=tg",
      "vk.com/wall-1_2?reply=5&thread=3",
      "https://vk.com/club1?w=wall-1_2&reply=5",
    ]) {
      expect(keyOf(link), link).toBe(vk);
    }
  });

  it("gives a bare host a key without a slash", () => {
    expect(keyOf("https://vk.com/")).toBe("vk.com");
  });
});

describe("parseSourceLink: a post or another page", () => {
  it.each([
    "https://vk.com/wall-77_101",
    "https://vk.com/wall-77_101?reply=5",
    "https://vk.com/club77?w=wall-77_101",
    "https://vkvideo.ru/video-1_2",
    "https://ok.ru/group/1/topic/2",
    "https://ok.ru/profile/1/statuses/2",
    "https://t.me/chan/1234",
    "https://t.me/chan/1234?comment=5678",
    "https://t.me/c/1001/15",
    "https://dzen.ru/a/ZxYz",
    "https://youtu.be/abc",
    "https://www.youtube.com/watch?v=abc&lc=UgA",
    "https://rutube.ru/video/abc/",
    "https://www.instagram.com/p/abc/",
    "https://www.facebook.com/page/posts/123",
    "https://x.com/user/status/1",
    "https://www.tiktok.com/@user/video/1",
  ])("%s is a post", (link) => {
    expect(parsed(link).post).toBe(true);
  });

  it.each([
    "https://vk.com/id1001",
    "https://vk.com/club77",
    "https://vk.com/feed",
    "https://vk.cc/abc",
    "https://ok.ru/profile/1",
    "https://ok.ru/group/1",
    "https://t.me/chan",
    "https://telegram.org/blog",
    "https://dzen.ru/city",
    "https://www.youtube.com/@chan",
    "https://rutube.ru/channel/1/",
    "https://www.instagram.com/user/",
    "https://x.com/user",
    "https://www.tiktok.com/@user",
    "https://im.example.ru/incidents/123",
  ])("%s is not a post", (link) => {
    expect(parsed(link).post).toBe(false);
  });
});

describe("findLinks", () => {
  it("finds http(s) links and bare network links in order", () => {
    const text = "Жалоба: vk.com/wall-1_2, повтор https://t.me/channel/15 и видео http://youtu.be/abc.";
    expect(findLinks(text)).toEqual(["vk.com/wall-1_2", "https://t.me/channel/15", "http://youtu.be/abc"]);
  });

  it("strips trailing punctuation and closing quotes", () => {
    expect(findLinks("(см. https://ok.ru/group/1/topic/2)")).toEqual(["https://ok.ru/group/1/topic/2"]);
    expect(findLinks("«https://dzen.ru/a/abc»!")).toEqual(["https://dzen.ru/a/abc"]);
    expect(findLinks("Вот: https://example.org/a?b=1;")).toEqual(["https://example.org/a?b=1"]);
  });

  it("keeps balanced parentheses inside a link", () => {
    expect(findLinks("see https://example.org/wiki/A_(b).")).toEqual(["https://example.org/wiki/A_(b)"]);
  });

  it("does not take bare unknown domains or bare network domains without a path", () => {
    expect(findLinks("сайт example.org/news и просто vk.com без пути")).toEqual([]);
  });

  it("does not take e-mail addresses or look-alike domains", () => {
    expect(findLinks("пишите admin@vk.com/x или notvk.com/wall-1_2")).toEqual([]);
  });

  it("finds mobile and www bare links", () => {
    expect(findLinks("m.vk.com/wall-1_2 www.ok.ru/group/1")).toEqual([
      "m.vk.com/wall-1_2",
      "www.ok.ru/group/1",
    ]);
  });

  it("lists each link once", () => {
    expect(findLinks("t.me/c/1 и снова t.me/c/1")).toEqual(["t.me/c/1"]);
  });

  it("returns nothing for text without links", () => {
    expect(findLinks("")).toEqual([]);
    expect(findLinks("Обращение без ссылок.")).toEqual([]);
  });

  it("finds links that parseSourceLink accepts", () => {
    for (const link of findLinks("Пост https://vk.com/wall-1_2?utm_source=tg, копия t.me/s/chan/3.")) {
      expect(parseSourceLink(link).ok).toBe(true);
    }
  });
});

describe("sameNetwork and names", () => {
  it("matches equal networks only", () => {
    expect(sameNetwork("vk", "vk")).toBe(true);
    expect(sameNetwork("vk", "ok")).toBe(false);
    expect(sameNetwork("other", "other")).toBe(true);
  });

  it("checks that an answer is published in the post's network", () => {
    const post = parsed("https://m.vk.com/wall-1_2");
    const answer = parsed("vk.ru/wall-1_2?reply=5");
    expect(sameNetwork(post.network, answer.network)).toBe(true);
    expect(sameNetwork(post.network, parsed("t.me/channel/1").network)).toBe(false);
  });

  it("has a Russian name for every network", () => {
    expect(NETWORK_NAMES.vk).toBe("ВКонтакте");
    expect(NETWORK_NAMES.ok).toBe("Одноклассники");
    expect(NETWORK_NAMES.x).toBe("X (Twitter)");
    expect(NETWORK_NAMES.other).toBe("другой источник");
    expect(Object.keys(NETWORK_NAMES)).toHaveLength(12);
  });
});

describe("the post a comment's link is under", () => {
  const thread = (link: string) => {
    const parsed = parseSourceLink(link);
    if (!parsed.ok) throw new Error(link);
    return [threadKeyOf(parsed.key), isCommentKey(parsed.key)];
  };
  it("is named by VK's reply=, Telegram's comment= and YouTube's lc=; a post is its own", () => {
    expect(thread("https://vk.com/wall-1_2?reply=9&thread=5")).toEqual(["vk.com/wall-1_2", true]);
    expect(thread("https://t.me/chan/12?comment=34")).toEqual(["t.me/chan/12", true]);
    expect(thread("https://youtu.be/abc?lc=UgB")).toEqual(["youtube.com/watch?v=abc", true]);
    expect(thread("https://vk.com/wall-1_2")).toEqual(["vk.com/wall-1_2", false]);
    expect(thread("https://x.com/user/status/15")).toEqual(["x.com/user/status/15", false]);
  });
});
