/** Every word of the curator's intake: /new, forwarded posts and links, duplicates, repeats, toxic posts. */

import type { RepeatSign } from "../app/incidents.js";
import type { DraftKind, Importance } from "../domain/incident.js";
import type { LinkProblem } from "../domain/source-link.js";
import { plural } from "./texts.js";

const LINK_EXAMPLE = "https://vk.com/wall-12345_678";

/** « (уже 2 повторных)» after an earlier post offered as the one repeated; nothing when none repeats it yet. */
const alreadyRepeated = (repeats: number) =>
  repeats > 0 ? ` (уже ${repeats} ${plural(repeats, "повторное", "повторных", "повторных")})` : "";

/** Why an earlier post is offered as the one a new post repeats (see repeatOffers). */
export interface RepeatReason {
  signs: { sign: RepeatSign; value: string | null }[];
  /** The repeat of the offered post that shares them, when not the post itself. */
  via?: number;
}

const REPEAT_SIGN: Record<RepeatSign, (value: string | null) => string> = {
  text: () => "тот же текст",
  place: (value) => `то же место «${value}»`,
  author: () => "тот же автор",
  topic: (value) => `та же тема «${value}»`,
};

/** «та же тема «Транспорт», тот же автор», «… у № 9, повторного к нему». */
const repeatReason = ({ signs, via }: RepeatReason) =>
  `${signs.map(({ sign, value }) => REPEAT_SIGN[sign](value)).join(", ")}` +
  (via === undefined ? "" : ` у № ${via}, повторного к нему`);

export const ti = {
  /** A post's topic where many posts are named at once (a list, an escalation): not the author's words. */
  aboutTopic: (topic: string) => `на тему «${topic}»`,
  onlyCurators: "Регистрировать сообщения и помечать их могут только кураторы.",
  notCuratorPost:
    "Регистрируют сообщения кураторы: перешлите этот пост куратору. " +
    "Уже зарегистрированное сообщение можно найти по ссылке: /find и ссылка.",
  /** A link from an executor whose organization's approved answers wait to be posted. */
  answerLinkHere: (offered: number) =>
    `Если это ссылка на размещённый ответ, нажмите кнопку${offered > 1 ? " нужного сообщения" : ""}: ` +
    "ссылка будет записана. Регистрируют новые сообщения кураторы: перешлите пост куратору.",
  /** A curator's forward in the curators' chat without a link to a post of a known network. */
  forwardNotTaken: (withLink: boolean) =>
    withLink
      ? "Ссылка в пересланном сообщении ведёт не на пост соцсети, поэтому здесь оно не зарегистрировано. " +
        "Если это обращение, перешлите его боту в личный чат: там регистрируются и сообщения с других сайтов."
      : "В пересланном сообщении нет ссылки на пост, поэтому здесь оно не зарегистрировано. " +
        "Пришлите сюда ссылку на пост или перешлите сообщение боту в личный чат — бот спросит ссылку.",
  newWhere: "Команда /new работает в личном чате с ботом или в чате кураторов.",
  cancelled: "Регистрация отменена.",
  useButtons: "Выберите ответ кнопкой под вопросом. Отмена — /cancel.",
  finishFirst: "Сначала закончите начатую регистрацию или отмените её: /cancel.",
  leftForForward:
    "Начатая регистрация прервана: ссылку на то сообщение бот так и не получил, оно не зарегистрировано. " +
    "Теперь — пересланное сообщение.",
  staleStep: "Эта кнопка относится к прошлому вопросу.",
  foreignStep: "Эта кнопка — от законченной или чужой регистрации. Начать новую — /new.",

  askLink: `Пришлите ссылку на сообщение (пост или комментарий), например ${LINK_EXAMPLE}. Отмена — /cancel.`,
  askLinkForForward:
    "В пересланном сообщении нет ссылки на пост. Пришлите ссылку на него, например " +
    `${LINK_EXAMPLE}. Отмена — /cancel.`,
  badLink: {
    empty: `Пришлите ссылку на сообщение, например ${LINK_EXAMPLE}.`,
    not_url:
      `Это не похоже на ссылку. Ссылка выглядит так: ${LINK_EXAMPLE} — скопируйте её из адресной строки ` +
      "или через «Поделиться» → «Копировать ссылку». Пришлите ещё раз или /cancel.",
    not_http: `Нужна ссылка на страницу в интернете, она начинается с https://, например ${LINK_EXAMPLE}. Пришлите ещё раз или /cancel.`,
    no_host: `В ссылке нет адреса сайта. Ссылка выглядит так: ${LINK_EXAMPLE}. Пришлите ещё раз или /cancel.`,
    too_long: "Ссылка слишком длинная. Скопируйте короткую ссылку на пост и пришлите ещё раз или /cancel.",
  } satisfies Record<LinkProblem, string>,
  askText: "Пришлите текст сообщения (можно скопировать из поста) или нажмите «Нет текста».",
  /** «Заполнить подробнее» of a link pasted with words: they may be the curator's own note. */
  askTypedText: (start: string) =>
    `Вместе со ссылкой вы прислали: «${start}». Если это текст поста, нажмите «Оставить». ` +
    "Если нет — пришлите текст поста (можно скопировать из поста) или нажмите «Нет текста».",
  askAuthor: "Кто автор? Пришлите имя или ссылку на страницу автора, или нажмите «Пропустить».",
  askTopic: "Тема сообщения (например: «дороги», «ЖКХ»)? Или нажмите «Пропустить».",
  askPlace: "Где это (населённый пункт, улица)? Или нажмите «Пропустить».",
  askImportance: "Насколько это важно?",
  askPostedAt:
    "Когда опубликован пост? Пришлите дату и время в виде 24.11.2026 09:15 (местное время) " +
    "или нажмите «Сейчас», если только что.",
  /**
   * The date question of a post whose date was recognised: Telegram's for a forward, or a
   * monitoring notice's «Дата публикации:».
   */
  askPostedAtForwarded: (when: string) =>
    `Когда опубликован пост? Распознано: ${when} (местное время). ` +
    "Нажмите «Оставить», если это так, или пришлите другие дату и время в виде 24.11.2026 09:15.",
  tooLong: (max: number) => `Слишком длинно: не больше ${max} символов. Пришлите короче или /cancel.`,
  badTime:
    "Не удалось разобрать дату. Пришлите её в виде 24.11.2026 09:15 (день.месяц.год часы:минуты) или нажмите «Сейчас».",
  futureTime: "Это время ещё не наступило. Пришлите время публикации поста или нажмите «Сейчас».",
  tooOldTime: "Это больше года назад — проверьте год. Пришлите время публикации поста или нажмите «Сейчас».",
  /**
   * `why`: what the earlier post (or `via`, a repeat of it) shares with this one, as the matcher
   * found it; `repeats`: the posts marked already as its repeats.
   */
  repeatLine: (id: number, about: string, why: RepeatReason, repeats = 0) =>
    `№ ${id}${alreadyRepeated(repeats)} — ${repeatReason(why)}: ${about}`,
  /** After the card of a post just registered: to its curator, or for monitoring software's, the curators. */
  repeatOffer: (id: number, lines: string[]) =>
    [`Сообщение № ${id} похоже на повторное. Недавно уже были:`, ...lines, "", "Это повторное?"].join("\n"),
  repeatOfferStart: (id: number) => `Сообщение № ${id} похоже на повторное.`,
  repeatDecided: (id: number, of: number, who?: string) =>
    `Сообщение № ${id} отмечено как повторное к № ${of}${who ? ` (${who})` : ""}.`,
  newDecided: (id: number, who?: string) => `Сообщение № ${id} отмечено как новое${who ? ` (${who})` : ""}.`,
  /** The repeat question's «Дубль № N — закрыть», then «Да, закрыть»: to the curator, the heads told, every copy of the question. */
  closedAsDuplicate: (id: number, of: number, who?: string) =>
    `Сообщение № ${id} закрыто без ответа как дубль № ${of}${who ? ` (${who})` : ""}.`,
  duplicateConfirm: (id: number, of: number) =>
    `Закрыть сообщение № ${id} без ответа как дубль № ${of} — тот же пост под другой ссылкой? ` +
    `Оно будет отмечено как повторное к № ${of}, сроки по нему остановятся, в месячный отчёт оно не войдёт. ` +
    "Отменить это будет нельзя.",
  repeatMarked: (of: number) => `Отмечено: повторное к № ${of}.`,
  alreadyRepeat: (of: number) => `Уже отмечено: повторное к № ${of}.`,
  markedNew: "Отмечено как новое.",
  alreadyNew: "Уже отмечено как новое.",
  /** The repeat question pressed once the post's answer is out (nothing is linked), or left till then. */
  repeatTooLate: (id: number) => `Ответ на сообщение № ${id} уже размещён: отмечать повторное поздно.`,
  notEarlier: (of: number) =>
    `Сообщение № ${of} не подходит: повторное отмечают только к более раннему сообщению.`,

  summary: (p: {
    network: string;
    link: string;
    author: string | null;
    topic: string | null;
    place: string | null;
    /** The post's own date, local time. */
    postedAt: string | null;
    start: string | null;
    /** `start` is of the words sent with a pasted link: said plainly, they become the post's text. */
    typed?: boolean;
  }) =>
    [
      "Распознано сообщение:",
      `${p.network}: ${p.link}`,
      ...(p.author ? [`Автор: ${p.author}`] : []),
      ...(p.topic ? [`Тема: ${p.topic}`] : []),
      ...(p.place ? [`Место: ${p.place}`] : []),
      ...(p.postedAt ? [`Пост опубликован: ${p.postedAt}`] : []),
      ...(p.start
        ? [p.typed ? `Текстом поста станут слова, присланные со ссылкой: «${p.start}»` : `«${p.start}»`]
        : []),
      "",
      p.typed && p.start
        ? "Зарегистрировать как обычное или заполнить подробнее (текст, тема, место, важность, время)? " +
          "Если эти слова — не текст поста, нажмите «Заполнить подробнее»."
        : "Зарегистрировать как обычное или заполнить подробнее (тема, место, важность, время)?",
    ].join("\n"),
  registeredNote: (id: number) => `Зарегистрировано: № ${id}.`,
  postGone: "Исходное сообщение не найдено. Перешлите пост или пришлите ссылку ещё раз.",
  duplicate: (id: number) => `Это сообщение уже зарегистрировано: № ${id}.`,
  /** The duplicate's importance raised to the one this curator chose. */
  duplicateRaised: (id: number, importance: string) => `Важность № ${id} повышена: ${importance}.`,
  /** A curator forwarded a post while a comment or a reason was asked: that question is closed. */
  questionClosed:
    "Пересланный пост не принят как комментарий: вопрос бота закрыт, ниже пост можно зарегистрировать. " +
    "Чтобы вернуться к вопросу, нажмите кнопку на карточке ещё раз.",
  /** A curator who is also an executor forwarded a post while writing an answer or a part. */
  notInDraft:
    "Пересланный пост не добавлен в проект ответа — ниже его можно зарегистрировать. Проект остаётся открытым: продолжайте, когда будете готовы.",
  /** A curator asked for the link of a posted answer forwarded a channel's post. */
  notAsLink:
    "Пересланный пост не принят как ссылка на ответ — ниже его можно зарегистрировать. " +
    "Вопрос о ссылке остаётся открытым: пришлите её, когда ответ будет размещён.",
  /** A link of a network where a comment has no link of its own (its post's), registered already. */
  sameLink: (ids: number[]) =>
    [
      `По этой ссылке уже зарегистрировано: ${ids.map((id) => `№ ${id}`).join(", ")}.`,
      "Где у комментария нет своей ссылки (Одноклассники, Дзен и другие), комментарии под одним постом регистрируются по ссылке на пост.",
      "Это другой комментарий под тем же постом?",
    ].join("\n"),

  /** What the heads hear at once: a socially significant post, or (Georgievsk p.24) one needing an urgent decision. */
  significant: (
    id: number,
    network: string,
    link: string,
    start: string | null,
    clause: string,
    importance: Importance = "significant",
    /** What the curator said of it, if anything: the head decides at once, often from this alone. */
    about: { topic?: string | null; place?: string | null } = {},
    /** The answer's deadline, or (Georgievsk p.16) the clause counting it from the routing still to come. */
    answer?: { at: string } | { afterRouting: string },
  ) =>
    [
      importance === "important"
        ? `Сообщение № ${id} требует оперативного решения (${clause})`
        : `Социально значимое сообщение № ${id} (${clause})`,
      `${network}: ${link}`,
      ...(start ? [`«${start}»`] : []),
      ...(about.topic ? [`Тема: ${about.topic}`] : []),
      ...(about.place ? [`Место: ${about.place}`] : []),
      ...(answer
        ? [
            "at" in answer
              ? `Ответ разместить до ${answer.at}`
              : `Срок ответа считается с направления исполнителю (${answer.afterRouting}): сообщим его, когда сообщение направят.`,
          ]
        : []),
    ].join("\n"),

  /** To a head told of the post: it is routed, to whom, and (known now) until when the answer is due. */
  routed: (id: number, organizations: string[], answerAt: string | null) =>
    `№ ${id} направлено: ${organizations.join(", ")}${answerAt ? ` (ответ до ${answerAt})` : ""}`,

  /** To a head told of the post: the text his notice quoted, corrected by a curator since. */
  textCorrected: (id: number, start: string | null) =>
    start
      ? `Текст сообщения № ${id} уточнён куратором:\n«${start}»`
      : `Сообщение № ${id}: текст, процитированный в уведомлении, убран куратором — это был не текст поста.`,
  /** To a head told of the post: the link his notice gave, changed by a curator since (the post published again, say). */
  linkCorrected: (id: number, network: string, link: string) =>
    `Ссылка на сообщение № ${id} изменена куратором:\n${network}: ${link}`,
  /** To the organizations that have the post: its link changed; the work on it goes on. */
  linkChanged: (id: number, link: string) =>
    `Сообщение № ${id}: куратор изменил ссылку на пост, теперь: ${link}\n` +
    "Номер сообщения, сроки и начатая работа прежние; ответ размещается под постом по новой ссылке.",
  /** To a head told of the post: its topic or place, set, corrected or removed by a curator since. */
  subjectCorrected: (id: number, subject: "topic" | "place", value: string | null) =>
    subject === "topic"
      ? value
        ? `Тема сообщения № ${id} уточнена куратором: «${value}»`
        : `Сообщение № ${id}: тема убрана куратором.`
      : value
        ? `Место сообщения № ${id} уточнено куратором: «${value}»`
        : `Сообщение № ${id}: место убрано куратором.`,
  /** To a head told of the post: its importance lowered by a curator below what the heads hear at once. */
  importanceLowered: (id: number, told: Importance, now: string) =>
    `Сообщение № ${id} больше не отмечено как ${told === "important" ? "требующее оперативного решения" : "социально значимое"}: ` +
    `куратор изменил важность на «${now}».`,
  /**
   * To a head told of the post: its answer (`interim`: the interim one) is posted; `verdict`, whether
   * in time, as the curators hear it (ta.publish.verdict).
   */
  answerPosted: (id: number, link: string, interim: boolean, verdict: string | null = null) =>
    `${interim ? "Промежуточный ответ" : "Ответ"} на сообщение № ${id} размещён${verdict ? ` (${verdict})` : ""}: ${link}`,

  alreadyClosed: "Уже закрыто.",
  staleCard: (id: number, state: string) =>
    `Сообщение № ${id}: ${state}. Пометить его так сейчас нельзя. Карточка обновлена.`,
  /** To the organization that had the post when a curator closed it (`duplicateOf`: as that one's duplicate). */
  closedNotice: (id: number, reason: "toxic" | "threat" | "void", clause: string, duplicateOf?: number) =>
    `Сообщение № ${id} закрыто куратором без ответа: ` +
    (duplicateOf !== undefined
      ? `дубль сообщения № ${duplicateOf}. `
      : reason === "void"
        ? "пост удалён или зарегистрирован ошибочно. "
        : `${reason === "threat" ? "угроза" : "оскорбительное"} (${clause}). `) +
    "Готовить ответ не нужно.",
  notFound: "Такого сообщения нет.",
  /** To the curator who closed the post, on its repeat question left unanswered, and to the heads told of it. */
  closed: {
    toxic: (id: number) => `Сообщение № ${id} закрыто без ответа как оскорбительное.`,
    threat: (id: number) => `Сообщение № ${id} закрыто без ответа как угроза.`,
    void: (id: number) => `Сообщение № ${id} закрыто без ответа: пост удалён или зарегистрирован ошибочно.`,
  },
  voidConfirm: (id: number) =>
    `Закрыть сообщение № ${id} без ответа: пост удалён автором или зарегистрирован ошибочно (не тот пост, ` +
    "дубль под другой ссылкой)? Сроки по нему остановятся, в месячный отчёт оно не войдёт. Отменить это будет нельзя.",
  /** `sends`: the bot passes threats on to law enforcement itself. */
  threatConfirm: (id: number, sends: boolean) =>
    `Закрыть сообщение № ${id} без ответа как угрозу?` +
    (sends ? " Оно будет сразу передано в компетентные органы." : " Отменить это будет нельзя."),
  threatYes: (sends: boolean) => (sends ? "Да, угроза — передать" : "Да, угроза — закрыть"),
  toxicConfirm: (id: number) =>
    `Закрыть сообщение № ${id} без ответа как оскорбительное? Отменить это будет нельзя.`,
  toxicYes: "Да, закрыть",
  threatNo: "Отмена",
  threatNotClosed: "Отменено, сообщение не закрыто.",
  threatSent: (id: number) => `Сообщение № ${id} закрыто и передано в компетентные органы.`,
  threatNotSent: (id: number, recipient: string) =>
    `Сообщение № ${id} закрыто, но передать его в чат компетентных органов не удалось. ` +
    `Передайте его сами: ${recipient}.`,
  threatPassOn: (id: number, recipient: string, clause: string) =>
    `Сообщение № ${id} закрыто как угроза. Передайте его сами (${clause}): ${recipient}.`,
  defaultThreatsRecipient: "компетентные государственные органы",
  /**
   * To the competent bodies' chat: an outside reader, so who sends it (the body, when the preset names
   * it, and the curator) and under which act, without the bot's own numbering.
   */
  threatReport: (p: {
    sender: string | null;
    curator: string;
    regulation: string;
    network: string;
    link: string;
    author: string | null;
    text: string | null;
    clause: string;
    detectedAt: string;
  }) =>
    [
      `${p.sender ? `${p.sender} направляет` : "Направляем"} для рассмотрения сообщение с угрозой ` +
        `(${p.clause}; ${p.regulation}).`,
      `Направил: ${p.curator}`,
      "",
      `${p.network}: ${p.link}`,
      ...(p.author ? [`Автор: ${p.author}`] : []),
      `Обнаружено: ${p.detectedAt}`,
      ...(p.text ? ["", `«${p.text}»`] : []),
    ].join("\n"),
  /** To the heads told of the post: the bot sent its threat on to the competent bodies at `at`. */
  threatForwarded: (id: number, at: string, clause: string) =>
    `Сообщение № ${id} — угроза: закрыто без ответа и передано в компетентные органы ${at} (${clause}).`,

  button: {
    register: "Зарегистрировать",
    anotherComment: "Да, другой комментарий",
    sameComment: "Нет, уже зарегистрировано",
    more: "Заполнить подробнее",
    noText: "Нет текста",
    keepText: "Оставить",
    skip: "Пропустить",
    now: "Сейчас",
    keepPostedAt: (when: string) => `Оставить ${when}`,
    repeatOf: (id: number, repeats = 0) => `Повторное к № ${id}${alreadyRepeated(repeats)}`,
    /** Under the repeat question, for an earlier post with the same text. */
    duplicateOf: (id: number) => `Дубль № ${id} — закрыть`,
    /** An approved draft of this kind posted: an interim answer or a question to the author said so. */
    postedAnswerOf: (id: number, kind: DraftKind = "answer") =>
      kind === "interim"
        ? `Промежуточный ответ на № ${id} размещён`
        : kind === "clarification"
          ? `Вопрос автору № ${id} размещён`
          : `Ответ на № ${id} размещён`,
    /** «Это повторное?» — no: both the curator's own registration and the question after a monitored post. */
    notRepeat: "Нет, новое",
    importance: {
      normal: "Обычное",
      important: "Важное",
      significant: "Социально значимое",
    } satisfies Record<Importance, string>,
  },
} as const;
