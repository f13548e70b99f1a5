/** Every word of approval, rework, publication, interim answers and questions to the author. */

import { clip } from "../domain/clip.js";
import type { DraftKind } from "../domain/incident.js";
import type { Network } from "../domain/source-link.js";
import { quotedEnd, t } from "./texts.js";

/** «Разместите его …»: where the answer goes, in the network's own words. */
const IN_NETWORK: Record<Network, string> = {
  vk: "во ВКонтакте",
  ok: "в Одноклассниках",
  telegram: "в Telegram",
  dzen: "в Дзене",
  youtube: "на YouTube",
  rutube: "на RuTube",
  max: "в MAX",
  instagram: "в Instagram",
  facebook: "в Facebook",
  x: "в X (Twitter)",
  tiktok: "в TikTok",
  other: "в том же источнике, что и сообщение",
};

/** How much of a saved draft the offer to send it as the part quotes. */
const DRAFT_SHOWN = 500;

/**
 * A part goes with its text, at once: its files come before the text or as a caption, never after
 * it, when the part has already gone.
 */
const ATTACH_FIRST =
  "Фото, видео или документы, если нужны, пришлите до текста или с подписью — информация уходит вместе с текстом. Отмена — /cancel.";

/** The card's button that opens the dialogue of each kind (reopens a draft returned for rework). */
export const DRAFT_BUTTON: Record<DraftKind, string> = {
  answer: t.button.draft,
  final: t.button.draftFinal,
  interim: t.button.interim,
  clarification: t.button.clarify,
};

export type LinkKind = "publish" | "interim" | "clarify";

const BUTTON_FILES = "Вложения";

const LINK_WHAT: Record<LinkKind, string> = {
  publish: "размещённый ответ",
  interim: "промежуточный ответ",
  clarify: "размещённый запрос автору",
};

/** What was approved, as the sentence's subject: «Ответ …», «Промежуточный ответ …», «Запрос автору …». */
const APPROVED: Record<DraftKind, string> = {
  answer: "Ответ",
  final: "Ответ",
  interim: "Промежуточный ответ",
  clarification: "Запрос автору",
};

/** What is posted, in the accusative: «ответ», «промежуточный ответ», «запрос автору». */
const posted = (kind: DraftKind) => APPROVED[kind].toLowerCase();

/** «Проект …»: what the draft returned for rework is, in the genitive. */
const DRAFT_OF: Record<DraftKind, string> = {
  answer: "ответа",
  final: "окончательного ответа",
  interim: "промежуточного ответа",
  clarification: "запроса автору",
};

const reworkCommentLine = (comment: string) => `Комментарий куратора: ${quotedEnd(comment)}`;

/** The answer's deadline, when it comes before the rework's. */
export interface AnswerSooner {
  at: string;
  clause: string;
  /** The final answer's clock is met by its draft reaching the curator (Georgievsk p.15), not by a posting. */
  byFinalDraft?: boolean;
}

const answerStillDue = ({ at, clause, byFinalDraft }: AnswerSooner) =>
  `${byFinalDraft ? "Проект окончательного ответа нужно прислать куратору" : "Ответ нужно разместить"} до ${at} ` +
  `(${clause} регламента): доработка этот срок не продлевает.`;

/** Whether an answer was posted in time: its own deadline, and the posting's after approval (p.12). */
const postedVerdict = (onTime: boolean, postedLate: string | null) => {
  if (!onTime) return "с опозданием";
  return postedLate
    ? `в срок ответа, но позже срока размещения после согласования по ${postedLate}`
    : "в срок";
};

export const ta = {
  inNetwork: (network: Network) => IN_NETWORK[network],
  cancel: "Отмена",
  cancelled: "Отменено.",
  dialogOver: "Этот ввод уже завершён. Нажмите кнопку на карточке сообщения заново.",
  wrongState: (id: number, state: string) => `Сообщение № ${id}: ${state}. Это действие уже недоступно.`,

  approve: {
    done: (id: number, kind: DraftKind = "answer") => `${APPROVED[kind]} по сообщению № ${id} согласован.`,
    /**
     * `passed`: the deadline is reached already; `answerMissed`: the answer's own deadline is, while
     * the posting's (`due`) still runs. Either way it is to be posted at once.
     */
    notice: (
      id: number,
      kind: DraftKind,
      where: string,
      due: string | null,
      passed = false,
      answerMissed: string | null = null,
    ) => {
      const approved = `${APPROVED[kind]} по сообщению № ${id} согласован.`;
      const atOnce = `разместите его ${where} сразу и нажмите «Размещено».`;
      if (passed && due) return `${approved} Срок размещения истёк ${due}: ${atOnce}`;
      if (answerMissed && due)
        return `${approved} Срок ответа истёк ${answerMissed}: ${atOnce}\nРазместить до ${due}.`;
      return `${approved} Разместите его ${where} и нажмите «Размещено»${due ? `.\nРазместить до ${due}.` : "."}`;
    },
    /** To the curator who approved it, where he pressed: the lead organization has nobody to post it. */
    nobodyToPost: (id: number, kind: DraftKind, organization: string, curatorMayPublish: boolean) =>
      `${APPROVED[kind]} по сообщению № ${id} согласован. ${t.card.nobodyToPost(organization, curatorMayPublish)}`,
    /** To the executors when the curator approved the draft and took its posting on himself (Georgievsk p.12). */
    curatorPosts: (id: number, kind: DraftKind, who: string) =>
      `${APPROVED[kind]} по сообщению № ${id} согласован. Разместит его куратор ${who} — вам размещать не нужно: ` +
      "когда он будет размещён, вам придёт ссылка.",
    /** The approved draft's photos, videos and files are not sent with it: a button brings them. */
    attachments: (count: number) => `Вложений к нему: ${count} — кнопка «${BUTTON_FILES}» пришлёт их сюда.`,
    filesButton: (count: number) => `${BUTTON_FILES} (${count})`,
    /** The caption of the approved draft's albums sent on request. */
    filesCaption: (id: number) => `Вложения согласованного ответа по сообщению № ${id}`,
    filesSent: "Вложения отправлены в этот чат.",
    filesJustSent: "Вложения только что отправлены — они выше.",
    filesNotYours: (id: number) =>
      `Вложения ответа по сообщению № ${id} получают кураторы и исполнители органа, которому оно направлено.`,
    noFiles: (id: number) =>
      `У согласованного проекта по сообщению № ${id} нет вложений, или он уже не действует.`,
    /** Heads the approved text, for whoever posts it to copy (a colleague standing in, too). */
    text: "Согласованный текст:",
    onlyCurators: "Согласовывать ответы и возвращать их на доработку может только куратор.",
    ownDraft: "Это ваш проект ответа: согласовать его или вернуть может другой куратор.",
    already: (who: string, at: string) => `Уже согласовано: ${who}, ${at}.`,
    stale: (id: number) =>
      `Это прежняя версия проекта по сообщению № ${id}: исполнитель прислал новую. ` +
      "Решение примите по ней — она ниже.",
    alreadyReturned: (who: string, at: string) => `Уже возвращено на доработку: ${who}, ${at}.`,
  },

  quality: {
    thanks: (mark: number) => `Оценка ${mark} сохранена.`,
    notDecider: "Оценить ответ может куратор, который его согласовал.",
    notApproved: "Этот ответ уже не ждёт оценки: по сообщению есть новый проект.",
  },

  rework: {
    ask: (id: number) =>
      `Сообщение № ${id}: что нужно доработать? Напишите комментарий для исполнителя ` +
      "(от 3 до 1000 символов). Отмена — /cancel.",
    badComment: "Комментарий — текст от 3 до 1000 символов. Напишите ещё раз или нажмите «Отмена».",
    /** The notice's line the draft dialogue looks for, not to show the comment twice. */
    commentLine: reworkCommentLine,
    /**
     * `kind`: the returned draft's kind, when known (none: an answer). `answerSooner`: the answer's
     * deadline, when it comes before the rework's.
     */
    notice: (
      id: number,
      comment: string,
      due: string | null,
      draft: string | null,
      kind?: DraftKind | null,
      answerSooner?: AnswerSooner | null,
    ) =>
      `Сообщение № ${id}: проект ${DRAFT_OF[kind ?? "answer"]} возвращён на доработку.\n` +
      `${reworkCommentLine(comment)}\n` +
      `Доработать${due ? ` до ${due}` : ""} — кнопка «${DRAFT_BUTTON[kind ?? "answer"]}» ниже или на карточке: ` +
      "прежний проект можно поправить." +
      (answerSooner ? `\n${answerStillDue(answerSooner)}` : "") +
      (draft ? `\n\nПроект ${DRAFT_OF[kind ?? "answer"]}:\n${draft}` : ""),
    done: (id: number, due: string | null, kind?: DraftKind | null, answerSooner?: AnswerSooner | null) =>
      `Проект ${DRAFT_OF[kind ?? "answer"]} по сообщению № ${id} возвращён на доработку` +
      `${due ? `, исполнитель доработает до ${due}` : ""}.` +
      (answerSooner ? ` ${answerStillDue(answerSooner)}` : ""),
  },

  /** A photo or a file with a caption where a text is asked (a comment, a link): the caption is not read. */
  captionNotRead:
    "Подпись к фото или файлу здесь не читается: пришлите текст отдельным сообщением, без вложения.",

  link: {
    ask: (kind: LinkKind, id: number, where: string) =>
      `Сообщение № ${id}: пришлите ссылку на ${LINK_WHAT[kind]} ${where}. Отмена — /cancel.`,
    notLink: "Это не похоже на ссылку. Пришлите ссылку вида https://… или нажмите «Отмена».",
    otherNetwork: (got: string, want: string) =>
      `Это ссылка ${got}, а сообщение размещено ${want}. Отвечают в той же сети: пришлите ссылку ${want}.`,
    elsewhere: "на другой сайт",
    notInSource: (got: string) =>
      `Это ссылка ${got}, а сообщение размещено не там. Пришлите ссылку на ответ там же, где сообщение.`,
    samePost: "Это ссылка на само сообщение автора. Пришлите ссылку на ваш ответ: комментарий или запись.",
    /** A comment under another post than this one: most likely another post's answer. */
    otherThread:
      "Это комментарий под другим постом, не под этим сообщением: похоже, ссылка на ответ по другому " +
      "сообщению. Пришлите ссылку на ваш ответ под этим сообщением (или на отдельную запись).",
    /** Where a comment may have no link but the post's (Одноклассники, Дзен…). */
    samePostUnder:
      "Это ссылка на само сообщение автора. Если вы разместили комментарий под ним и своей ссылки " +
      "у комментария нет, нажмите «Размещено комментарием под сообщением». Иначе пришлите ссылку на комментарий или запись.",
    underPost: "Размещено комментарием под сообщением",
  },

  publish: {
    /** «Размещу лично» pressed while another curator's claim holds (a pop-up). */
    otherCuratorPosts: (id: number, who: string) =>
      `Ответ по сообщению № ${id} уже размещает куратор ${who}: дождитесь ссылки от него.`,
    /** Whether the answer came in time, as the notices of its posting say it. */
    verdict: postedVerdict,
    /** `postedLate`: the clause of the posting's own deadline (Orenburg p.12), when it was missed. */
    done: (id: number, onTime: boolean, postedLate: string | null) =>
      `Ответ по сообщению № ${id} размещён ${postedVerdict(onTime, postedLate)}. Спасибо!`,
    notice: (id: number, link: string, onTime: boolean, postedLate: string | null, who: string) =>
      `Ответ по сообщению № ${id} размещён (${postedVerdict(onTime, postedLate)}): ${link}\nКто разместил: ${who}`,
    notAllowed: "Разместить согласованный ответ может исполнитель, который ведёт сообщение.",
    /** «Размещу лично» pressed by someone who is not a curator. */
    selfCuratorsOnly:
      "«Размещу лично» — кнопка куратора. Исполнитель размещает согласованный ответ и нажимает «Размещено».",
    curatorMayNot: (clause: string) =>
      `По регламенту (${clause}) согласованный ответ размещает исполнитель, куратор — не размещает.`,
    already: (id: number, link: string) => `Ответ по сообщению № ${id} уже размещён: ${link}`,
    /** To the executors when a curator takes the posting of the approved `kind` on himself (Georgievsk p.12). */
    curatorPosts: (id: number, who: string, kind: DraftKind) =>
      `Согласованный ${posted(kind)} по сообщению № ${id} размещает куратор ${who}. ` +
      "Не размещайте его, чтобы он не появился дважды: когда он будет размещён, вам придёт ссылка.",
    /**
     * The curator's link question closed without a link (jobs/curator-posting.ts), to the executors.
     * `approval`: the approval notice, with its text and «Размещено», follows (they have not had it).
     * The curator is named in brackets: the bot does not know whether «прислал» or «прислала» fits.
     */
    curatorSilent: (id: number, who: string, kind: DraftKind, approval = false) =>
      `Ссылка на ${posted(kind)} по сообщению № ${id} от куратора${who ? ` (${who})` : ""} не пришла. ` +
      `Если ${posted(kind)} уже размещён, нажмите «${t.button.published}»` +
      (approval ? " и пришлите ссылку." : " на карточке и пришлите ссылку; если нет — разместите его."),
    /**
     * The same, to the curator who claimed it, before the executors hear it: the button under it asks
     * for the link alone (not a new claim, which would tell the executors to hold off again).
     */
    curatorLapsed: (id: number, kind: DraftKind) =>
      `Ссылка на ${posted(kind)} по сообщению № ${id} не получена. Размещение возвращено исполнителю. ` +
      `Если вы уже разместили ${posted(kind)}, нажмите «${t.button.sendLink}».`,
    /**
     * To the curator whose link question another dialogue or a command closed: the claim holds till
     * `until`, and the card's button asks for the link again.
     */
    linkStillOwed: (id: number, kind: DraftKind, until: string) =>
      `Ссылка на ${posted(kind)} по сообщению № ${id} ещё нужна: нажмите «${t.button.publishSelf}» на карточке ` +
      `и пришлите её до ${until}, иначе размещение вернётся исполнителю.`,
    curatorGaveUp: (id: number, who: string, kind: DraftKind, approval = false) =>
      `Согласованный ${posted(kind)} по сообщению № ${id} куратор ${who} размещать не будет` +
      (approval ? "." : ": разместите его и нажмите «Размещено» на карточке."),
  },

  interim: {
    /** `drafts`: the presser is the lead's executor; a curator is told the executor drafts the final answer. */
    done: (id: number, due: string | null, step: string, clause: string, drafts: boolean) =>
      `Промежуточный ответ по сообщению № ${id} записан.` +
      (due ? `\nСрок: ${due} — ${step} (${clause}).` : "") +
      (drafts
        ? "\nОкончательный ответ готовят кнопкой «Подготовить окончательный ответ» на карточке."
        : "\nОкончательный ответ готовит исполнитель, ведущий сообщение: ему сообщено."),
    notice: (id: number, link: string, due: string | null, step: string, clause: string) =>
      `По сообщению № ${id} дан промежуточный ответ: ${link}` +
      (due ? `\nСрок: ${due} — ${step} (${clause}).` : ""),
    already: (id: number, link: string) => `По сообщению № ${id} уже дан промежуточный ответ: ${link}`,
  },

  clarify: {
    /** `due.passed`: that deadline ran out before the question was posted (Georgievsk p.11's hour). */
    done: (id: number, due: { what: string; at: string; passed: boolean } | null) =>
      `Запрос автору по сообщению № ${id} записан. Срок на время ожидания не останавливается` +
      (!due ? "." : due.passed ? `: «${due.what}» — срок истёк ${due.at}.` : `: ${due.what} до ${due.at}.`),
    notice: (id: number, link: string) =>
      `По сообщению № ${id} автору задан вопрос: ${link}\nЖдём уточнения; срок ответа не останавливается.`,
  },

  /** A co-executor's part with its photos, videos and files (Orenburg p.14, 16; Georgievsk p.18, 20). */
  part: {
    ask: (id: number, lead: string) =>
      `Пришлите информацию по сообщению № ${id} для основного исполнителя (${lead}) текстом, одним сообщением. ${ATTACH_FIRST}`,
    askForApproval: (id: number, lead: string) =>
      `Пришлите информацию по сообщению № ${id} текстом, одним сообщением: куратор согласует её и передаст основному исполнителю (${lead}). ${ATTACH_FIRST}`,
    /**
     * The answer's draft this executor saved while his organization was the lead: it is a co-executor
     * now (routed anew), and «Отправить» sends the draft as its part.
     */
    fromDraft: (id: number, lead: string, text: string, attachments: number, forApproval: boolean) =>
      `По сообщению № ${id} у вас сохранён черновик ответа${attachments > 0 ? ` (вложений: ${attachments})` : ""}:\n\n` +
      `«${clip(text, DRAFT_SHOWN)}»\n\nВаш орган теперь соисполнитель. Нажмите «Отправить», чтобы отправить этот текст ` +
      (forApproval
        ? `как информацию: куратор согласует её и передаст основному исполнителю (${lead}). `
        : `как информацию для основного исполнителя (${lead}). `) +
      "Или пришлите информацию заново текстом, одним сообщением. Отмена — /cancel.",
    needContent: "Пришлите информацию текстом; фото, видео или документ — с подписью или до текста.",
    takenOver: (id: number, colleague: string) =>
      `Не отправлено: информацию соисполнителя по сообщению № ${id} теперь готовит коллега — ${colleague}. ` +
      "Если ваш текст нужен, перешлите его коллеге.",
    received: (count: number, hasText: boolean) =>
      `Получено вложений: ${count}. ` +
      (hasText
        ? "Всё приложено? Нажмите «Отправить»."
        : "Теперь напишите текст информации — с ним всё будет отправлено."),
    textFirst: "Сначала напишите текст информации: подписью к фото или отдельным сообщением.",
    tooMany: (max: number) => `Можно приложить не больше ${max} вложений: остальные не приложены.`,
    send: "Отправить",
    /** To the executor holding the post, under a part that reached his organization: his deadline now. */
    started: (what: string, due: string, clause: string) =>
      `Информация всех соисполнителей у вас — срок пошёл: ${what} до ${due} (${clause} регламента).`,
    deadline: (what: string, due: string, clause: string) =>
      `Ваш срок: ${what} до ${due} (${clause} регламента).`,
    deadlinePassed: (what: string, due: string, clause: string) =>
      `Срок «${what}» истёк ${due} (${clause} регламента).`,
    waiting: (organizations: string[]) => `Ещё ждём информацию соисполнителей: ${organizations.join(", ")}.`,
    /** To the co-executor whose part the curators approved and passed on (Georgievsk p.18). */
    passedOn: (id: number, organization: string, lead: string) =>
      `Информация по сообщению № ${id} (${organization}) согласована куратором и передана основному исполнителю: ${lead}.`,
  },
} as const;
