import type { MessageOrigin } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { incidents } from "../../src/db/schema.js";
import { Harness, type TestUser } from "../support/bot-harness.js";
import { channelChat, type FileRef, updates } from "../support/updates.js";
import { OFFICE, seedOffice } from "../support/workflow.js";

/**
 * A post with several photos comes to the bot as an album: one message per photo, sharing a
 * media_group_id, the text in one caption. It is one post, registered once.
 */

let h: Harness;
let curator: TestUser;

afterEach(() => h?.close());

async function start(): Promise<void> {
  h = await Harness.start({ now: "2026-11-23T05:00:00Z" });
  seedOffice(h);
  curator = h.user(OFFICE.curator, "Ольга");
}

function photo(name: string): FileRef {
  return { file_id: `file-${name}`, file_unique_id: `unique-${name}`, file_size: 1000 };
}

/** The curator forwards an album of three photos; its caption on `captioned` (0-based). */
async function forwardAlbum(origin: (i: number) => MessageOrigin, captioned = 0): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const caption = i === captioned ? "Яма на Советской, третью неделю не заделывают." : undefined;
    await h.deliver(
      updates.photo(curator.chat, curator.tg, photo(`p${i}`), caption, "album-1", {
        forward_origin: origin(i),
      }),
    );
  }
}

const channelPost = (i: number): MessageOrigin => ({
  type: "channel",
  chat: channelChat(-1001234, "Новости Оренбурга", "orenburg_news"),
  message_id: 60 + i,
  date: Date.parse("2026-11-23T04:00:00Z") / 1000,
});

/** The posts registered so far. */
const registered = () => h.db.select().from(incidents).all();
const summaries = () => curator.texts().filter((text) => text.startsWith("Распознано сообщение:"));

describe("a forwarded album is one post", () => {
  it("a channel's album gets one summary, under the album's first message, with the caption's text", async () => {
    await start();
    await forwardAlbum(channelPost);
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]).toContain("https://t.me/orenburg_news/60");
    expect(summaries()[0]).toContain("Яма на Советской");
    await curator.press("Зарегистрировать");
    expect(registered().map((i) => i.link)).toEqual(["https://t.me/orenburg_news/60"]);
  });

  it("the caption on a later photo still gives the post its text, under the album's link", async () => {
    await start();
    await forwardAlbum(channelPost, 2);
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]).toContain("https://t.me/orenburg_news/60");
    await curator.press("Зарегистрировать");
    expect(registered().map((i) => [i.link, i.text])).toEqual([
      ["https://t.me/orenburg_news/60", "Яма на Советской, третью неделю не заделывают."],
    ]);
  });

  it("registered from the first photo before the caption came, the album is not offered again", async () => {
    await start();
    await h.deliver(
      updates.photo(curator.chat, curator.tg, photo("p0"), undefined, "album-1", {
        forward_origin: channelPost(0),
      }),
    );
    await curator.press("Зарегистрировать");
    await h.deliver(
      updates.photo(curator.chat, curator.tg, photo("p1"), "Яма на Советской.", "album-1", {
        forward_origin: channelPost(1),
      }),
    );
    expect(registered().map((i) => i.link)).toEqual(["https://t.me/orenburg_news/60"]);
    // No second summary offers the album again under its captioned photo's link.
    expect(curator.texts().filter((text) => text.includes("orenburg_news/61"))).toEqual([]);
    expect(summaries()).toHaveLength(1);
  });

  it("a person's album without a link asks for the link once; given, the post is offered for one tap", async () => {
    await start();
    await forwardAlbum(() => ({
      type: "hidden_user",
      sender_user_name: "Мария Петрова",
      date: 1_763_870_400,
    }));
    const asked = curator.texts().filter((text) => /ссылк/i.test(text));
    expect(asked).toHaveLength(1);
    await curator.send("https://vk.com/wall-1_77");
    await curator.press("Зарегистрировать");
    expect(registered().map((i) => [i.link, i.text])).toEqual([
      ["https://vk.com/wall-1_77", "Яма на Советской, третью неделю не заделывают."],
    ]);
  });
});

describe("a post forwarded by someone who is not a curator", () => {
  it("a forwarded file is not a post: it goes on to the admin's import", async () => {
    await start();
    h.seedPerson(1001, "Анна", ["admin"]);
    const admin = h.user(1001, "Анна");
    await h.deliver(
      updates.document(admin.chat, admin.tg, photo("orgs"), "orgs.csv", "text/csv", undefined, {
        forward_origin: { type: "hidden_user", sender_user_name: "Кто-то", date: 1_763_870_400 },
      }),
    );
    expect(admin.texts().join("\n")).not.toContain("Регистрируют сообщения кураторы");
  });

  it("is not registered; they are told to give it to a curator, once for an album", async () => {
    await start();
    const executor = h.user(OFFICE.executor, "Иван");
    await h.deliver(
      updates.forwarded(executor.chat, executor.tg, "Яма на Советской.", {
        type: "channel",
        chat: channelChat(-1001234, "Новости Оренбурга", "orenburg_news"),
        message_id: 70,
      }),
    );
    const told =
      "Регистрируют сообщения кураторы: перешлите этот пост куратору. " +
      "Уже зарегистрированное сообщение можно найти по ссылке: /find и ссылка.";
    expect(executor.texts()).toEqual([told]);
    for (let i = 0; i < 3; i++) {
      await h.deliver(
        updates.photo(
          executor.chat,
          executor.tg,
          photo(`e${i}`),
          i === 0 ? "Фото ямы" : undefined,
          "album-2",
          {
            forward_origin: channelPost(i),
          },
        ),
      );
    }
    expect(executor.texts()).toEqual([told, told]);
    expect(registered()).toEqual([]);
  });
});
