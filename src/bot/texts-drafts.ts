/** Every word of preparing a draft answer: the executor's dialogue and the draft the curators get. */

import type { Likeness, SameAnswer } from "../app/answer-queries.js";
import { clip } from "../domain/clip.js";
import type { DraftKind } from "../domain/incident.js";
import type { DiffAttachment, DiffWords } from "../domain/text-diff.js";
import { plural, t } from "./texts.js";

/** «Проект …», «текст …»: what the draft is, in the genitive. */
const DRAFT_OF: Record<DraftKind, string> = {
  answer: "ответа",
  final: "окончательного ответа",
  interim: "промежуточного ответа",
  clarification: "запроса автору",
};

/** «Вы начали готовить …»: what the draft is, in the accusative. */
const DRAFT_WHAT: Record<DraftKind, string> = {
  answer: "ответ",
  final: "окончательный ответ",
  interim: "промежуточный ответ",
  clarification: "запрос автору",
};

const messagesCount = (n: number) => `${n} ${plural(n, "сообщение", "сообщения", "сообщений")}`;

const attachmentsCount = (n: number) => `${n} ${plural(n, "вложение", "вложения", "вложений")}`;

/** «3 фото» when all are photos, else «3 вложения». */
const filesCount = (attachments: readonly { type: DiffAttachment["type"] }[]) =>
  attachments.every((a) => a.type === "photo")
    ? `${attachments.length} фото`
    : attachmentsCount(attachments.length);

const ATTACHMENT_NAMES: Record<DiffAttachment["type"], string> = {
  photo: "фото",
  video: "видео",
  animation: "GIF-анимация",
  document: "документ",
};

const diff: DiffWords = {
  textSame: "Текст не изменился.",
  textRewritten: "Текст переписан почти целиком.",
  textChanged: "Изменено в тексте:",
  was: (fragment) => `Было: «${fragment}»`,
  became: (fragment) => `Стало: «${fragment}»`,
  more: (n) => `…и ещё ${n} ${plural(n, "изменение", "изменения", "изменений")}.`,
  attachment: (a) =>
    a.type === "document" && a.fileName ? `документ «${a.fileName}»` : ATTACHMENT_NAMES[a.type],
  attachments: (added, removed) =>
    `Вложения: ${[
      added.length > 0 ? `добавлено — ${added.join(", ")}` : "",
      removed.length > 0 ? `убрано — ${removed.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ")}.`,
  nothingChanged: "Изменений нет: проект прислан повторно без правок.",
};

/** Why an approved answer is offered: how its post is like this one. */
const LIKENESS: Record<Likeness, string> = {
  repeat: "это сообщение повторное к нему",
  text: "тот же текст сообщения",
  topicPlace: "та же тема и место",
};

/** How much of each offered answer's text is shown. */
const SAME_TEXT_CHARS = 100;

export const td = {
  diff,
  button: {
    start: "Начать",
    resume: "Продолжить черновик",
    restart: "Начать заново",
    reworkPrevious: "Доработать прежний проект",
    takePrevious: "Взять прежний проект",
    sameText: (earlierId: number) => `Тот же текст, что по № ${earlierId}`,
    saved: (id: number, kind: DraftKind) => `Черновик ${DRAFT_OF[kind]} по № ${id}`,
    done: "Готово",
    send: "Отправить на согласование",
    editText: "Изменить текст",
    /** `count`: the messages typed since the draft had its text, waiting for the choice. */
    replaceText: (count: number) =>
      count === 1 ? "Заменить текст" : `Заменить текст на ${messagesCount(count)}`,
    appendText: (count: number) =>
      count === 1 ? "Дописать к тексту" : `Дописать ${messagesCount(count)} к тексту`,
    removeAttachments: "Убрать вложения",
    cancel: "Отмена",
  },

  notFound: (id: number) => `Сообщение № ${id} не найдено.`,
  notLead: (id: number) =>
    `Проект ответа по сообщению № ${id} готовит исполнитель органа, который взял его в работу.`,
  wrongState: (id: number, state: string) => `Сообщение № ${id}: ${state}. Проект ответа сейчас не нужен.`,
  continuePrivately: "Продолжим в личном чате с ботом.",
  openPrivateFirst:
    "Проект ответа готовится в личном чате с ботом. Откройте его, нажмите «Запустить» и нажмите кнопку ещё раз.",
  startPrivately: (id: number, kind: DraftKind = "answer") =>
    `Сообщение № ${id}: подготовим проект ${DRAFT_OF[kind]} здесь. Нажмите «Начать».`,
  dialogOver: "Этот шаг уже пройден. Нажмите кнопку на карточке сообщения заново.",
  alreadySent: (id: number) => `Проект по сообщению № ${id} уже отправлен на согласование.`,
  /** A message typed before «Начать» was pressed. */
  pressStartFirst: (id: number, kind: DraftKind = "answer") =>
    `Чтобы подготовить проект ${DRAFT_OF[kind]} по сообщению № ${id}, сначала нажмите «Начать», ` +
    "затем пришлите текст и фото.",

  resumeOffer: (id: number, text: string | null, attachments: number) =>
    `По сообщению № ${id} есть начатый черновик: ` +
    [text ? `текст (${text.length} симв.)` : "", attachments > 0 ? attachmentsCount(attachments) : ""]
      .filter(Boolean)
      .join(" и ") +
    ".\nПродолжить его или начать заново?",
  reworkOffer: (id: number, attachments: number) =>
    `Сообщение № ${id}: взять за основу проект, который вернули на доработку` +
    (attachments > 0 ? ` (текст и ${attachmentsCount(attachments)})` : "") +
    ", или начать заново?",
  /** For the final answer: the answer's draft from before the interim one, its rework (if any) ended by it. */
  previousOffer: (id: number, attachments: readonly { type: DiffAttachment["type"] }[]) =>
    `Сообщение № ${id}: взять за основу прежний проект` +
    (attachments.length > 0 ? ` (текст и ${filesCount(attachments)})` : "") +
    " или начать заново?",
  chooseAbove: "Выберите кнопкой выше: продолжить или начать заново. Отмена — /cancel.",
  repeatOf: (earlierId: number, links: string[], text: string | null) =>
    `Это повторное сообщение — к № ${earlierId}. В ответе укажите, что сделано с прошлого раза.\n` +
    earlierAnswer(links, text),
  reworkComment: (comment: string) => `Куратор вернул проект на доработку: «${comment}»`,
  partsToUse: (id: number, count: number) =>
    `Сообщение № ${id}: ${count === 1 ? "информация соисполнителя — ниже" : "информация соисполнителей — ниже"}. ` +
    "Учтите её в ответе.",

  /** The co-executors' parts not come yet, said as the lead is asked for the text (Orenburg p.14, Georgievsk p.18). */
  partsAwaited: (parts: string[]) =>
    `Ещё не пришла информация ${parts.length === 1 ? "соисполнителя" : "соисполнителей"}: ${parts.join(", ")}.`,
  awaitedPart: (organization: string, where: string, late: string | undefined) =>
    `${organization} (${late ? `${where}; ${late}` : where})`,
  partAwaited: {
    queued: "ждёт своей очереди",
    assigned: "ещё не взято в работу",
    accepted: "в работе",
    rework: "на доработке",
    forApproval: "у куратора на согласовании",
  },
  askText: (id: number, kind: DraftKind) =>
    `Сообщение № ${id}: пришлите текст ${DRAFT_OF[kind]} одним сообщением ` +
    "(до 4096 символов). Отмена — /cancel." +
    (kind === "clarification"
      ? "\nПосле согласования куратором вопрос размещают там же, где сообщение; срок ответа не останавливается."
      : kind === "interim"
        ? "\nПромежуточный ответ говорит автору, что делается и когда будет окончательный ответ."
        : ""),
  /** Approved answers to related posts, offered with the question for the text (a crisis: one statement). */
  sameAnswers: (offers: readonly SameAnswer[]) =>
    `Можно взять текст ${offers.length === 1 ? "согласованного ответа" : "согласованных ответов"} ` +
    "по похожему сообщению и поправить его в предпросмотре:\n" +
    offers
      .map(
        (offer) =>
          `№ ${offer.incidentId} — ${LIKENESS[offer.likeness]}, ответ ${offer.published ? "размещён" : "согласован"}` +
          (offer.attachments.length > 0 ? ` (текст и ${filesCount(offer.attachments)})` : "") +
          `: «${clip(offer.text, SAME_TEXT_CHARS)}»`,
      )
      .join("\n"),
  tooLong: (length: number) =>
    `Текст длиннее 4096 символов (сейчас ${length}). Сократите его и пришлите ещё раз.`,
  textNeeded: (kind: DraftKind) =>
    `Сначала пришлите текст ${DRAFT_OF[kind]} сообщением. Фото и документы — следующим шагом.`,
  keptBeforeText: (kind: DraftKind) =>
    `Вложения сохранены. Теперь пришлите текст ${DRAFT_OF[kind]} одним сообщением.`,

  askAttachments: (count: number, textKept: boolean) =>
    (count > 0 ? `Сейчас ${attachmentsCount(count)}. ` : "") +
    "Пришлите фото, видео или документы (можно альбомом) или нажмите «Готово»." +
    (textKept
      ? " Чтобы изменить текст, пришлите новый: бот спросит, заменить им прежний или дописать к нему."
      : ""),
  /** The text the dialogue starts from, shown as a block one tap copies whole. */
  textToCopy: (kind: DraftKind) => `Текст ${DRAFT_OF[kind]} — нажмите на него, чтобы скопировать:`,
  textReplaced: (kind: DraftKind) =>
    `Текст ${DRAFT_OF[kind]} заменён. Пришлите фото, видео или документы или нажмите «Готово».`,
  received: (count: number) => `Получено, всего ${attachmentsCount(count)}. Ещё — или нажмите «Готово».`,
  albumReceived: (inAlbum: number, count: number) =>
    `Альбом получен: ${attachmentsCount(inAlbum)} (всего ${count}). Ещё — или нажмите «Готово».`,
  duplicate: "Это вложение уже добавлено.",
  /** A link alone sent where the text is asked. */
  linkAsText: (kind: DraftKind) =>
    `Это ссылка, а не текст ${DRAFT_OF[kind]}. Если это ссылка на размещённый ответ по другому сообщению, ` +
    `нажмите «Размещено» на его карточке. Пришлите текст ${DRAFT_OF[kind]}.`,
  /** A link alone sent where a new text would replace the kept one. */
  linkNotText: (kind: DraftKind) =>
    `Это ссылка, а не текст ${DRAFT_OF[kind]}: текст не заменён. Если это ссылка на размещённый ответ по ` +
    "другому сообщению, нажмите «Размещено» на его карточке. Чтобы заменить текст, пришлите новый.",
  tooMany: (max: number) => `Больше ${max} вложений приложить нельзя. Нажмите «Готово».`,
  cannotAttach:
    "Это нельзя приложить к проекту. Можно: фото, видео, GIF-анимации и документы. " +
    "Стикеры, голосовые, видеосообщения, геопозицию и контакты — нельзя.",
  /** A file's caption at the attachments step: it replaced the kept text, or it was not taken. */
  captionReplaced: (kind: DraftKind) =>
    `Подпись к файлу стала текстом ${DRAFT_OF[kind]}: прежний текст заменён.`,
  captionNotTaken: (kind: DraftKind) =>
    `Подпись к файлу не добавлена: текст ${DRAFT_OF[kind]} уже есть — его можно изменить в предпросмотре.`,
  /**
   * Texts typed when the draft has one (`count`, in order): a correction, the rest of a long one, or a
   * slip.
   */
  secondText: (kind: DraftKind, count: number) =>
    `Текст ${DRAFT_OF[kind]} уже есть. ` +
    (count === 1
      ? "Это сообщение заменит его или дополнит? Если оно попало сюда случайно, просто пришлите "
      : `Эти ${messagesCount(count)} заменят его или дополнят (по порядку)? Если они попали сюда ` +
        "случайно, просто пришлите ") +
    "фото, видео или документы или нажмите «Готово».",
  /** «Готово» pressed while `count` typed texts wait for «Заменить текст» or «Дописать к тексту». */
  textsWaiting: (count: number) =>
    (count === 1
      ? "Присланный текст ещё не учтён: выберите "
      : `Присланные ${messagesCount(count)} ещё не учтены: выберите `) +
    `«${td.button.replaceText(count)}» или «${td.button.appendText(count)}» под вопросом выше. ` +
    `Если ${count === 1 ? "он не нужен" : "они не нужны"}, нажмите «Готово» ещё раз.`,
  textAppended: (kind: DraftKind) =>
    `Текст ${DRAFT_OF[kind]} дополнен. Пришлите фото, видео или документы или нажмите «Готово».`,

  previewTitle: "Предпросмотр: так проект увидят кураторы.",
  severalAlbums: (sizes: number[]) =>
    `Вложений больше 10: Telegram показывает в одном альбоме до 10, поэтому куратор получит их ` +
    `${sizes.length} альбомами (${sizes.join(" + ")}).`,
  documentsApart: "Документы придут отдельно от фото и видео: Telegram не смешивает их в одном альбоме.",
  attachmentsRemoved: "Вложения убраны.",
  usePreviewButtons:
    "Выберите кнопкой под предпросмотром: отправить, изменить текст, убрать вложения или отменить.",
  /** A text sent at the preview (Telegram's edits are not seen). */
  previewTextHint:
    "Текст не изменён. Чтобы заменить его, нажмите «Изменить текст» под предпросмотром и пришлите новый.",

  submitted: (
    id: number,
    due: string | null,
    unseen?: { adminsTold: boolean },
    alone?: { adminsTold: boolean },
    /** The answer deadline, passed already: the approved draft is to be posted at once. */
    answerMissed?: string,
  ) =>
    `Проект отправлен на согласование: сообщение № ${id}. Спасибо!` +
    (unseen
      ? "\nНо показать его сейчас некому: ни одному куратору бот не смог его отправить. " +
        (unseen.adminsTold ? "Администратор извещён." : "Пожалуйста, сообщите об этом администратору.")
      : alone
        ? "\nНо согласовать собственный проект нельзя, а других кураторов нет. " +
          (alone.adminsTold
            ? "Администратор извещён: нужен ещё один куратор."
            : "Пожалуйста, попросите администратора пригласить ещё одного куратора.")
        : due
          ? `\nКуратор рассмотрит его до ${due}.` +
            (answerMissed
              ? ` Срок ответа истёк ${answerMissed}: после согласования разместите его сразу.`
              : "")
          : ""),
  /** `kept`: the draft's work is still saved; `by`: the colleague whose draft waits for the curators. */
  notSubmitted: (id: number, state: string, kept: boolean, by?: string) =>
    `Не отправлено. Сообщение № ${id}: ${state}${by ? `, автор проекта — ${by}` : ""}. ` +
    (kept
      ? "Черновик сохранён."
      : "Ваш текст не сохранён: скопируйте его из предпросмотра выше, если он нужен."),
  /** `closed`: how the post was closed, as the card's notices say it. */
  notSubmittedClosed: (closed: string) => `Не отправлено. ${closed} Готовить ответ не нужно.`,
  /** The dialogue was begun before a colleague took the post over («Взять себе»). */
  notSubmittedTakenOver: (id: number, taker: string, kept: boolean) =>
    `Не отправлено: сообщение № ${id} теперь в работе у коллеги — ${taker}. ` +
    (kept ? "Ваш черновик сохранён." : "Ваш начатый черновик передан вместе с сообщением."),
  notSubmittedRights: (id: number) =>
    `Не отправлено: вы больше не основной исполнитель сообщения № ${id}. Черновик сохранён.`,
  cancelled: (id: number, kept: boolean, button: string) =>
    kept
      ? `Отменено. Черновик сохранён: чтобы продолжить, нажмите «${button}» на карточке сообщения № ${id}.`
      : "Отменено.",
  /** A command typed in the middle of the draft's dialogue ended it; the command's own answer follows. */
  keptOnCommand: (id: number, kind: DraftKind, button: string) =>
    `Черновик ${DRAFT_OF[kind]} по сообщению № ${id} сохранён. Чтобы вернуться к нему, нажмите «${button}» ` +
    `на карточке и выберите «${td.button.resume}».`,
  /** A photo or a text sent with no dialogue open, by someone who has just left his draft: nothing is added. */
  notAddedToDraft: (id: number, kind: DraftKind) =>
    `Не добавлено: черновик ${DRAFT_OF[kind]} по сообщению № ${id} сохранён, но закрыт. ` +
    `Откройте его кнопкой ниже, выберите «${td.button.resume}» и пришлите ещё раз.`,
  notAddedToDrafts: (ids: readonly number[]) =>
    `Не добавлено: черновики по сообщениям ${[...new Set(ids)].map((id) => `№ ${id}`).join(", ")} ` +
    `сохранены, но закрыты. Откройте нужный кнопкой ниже, выберите «${td.button.resume}» и пришлите ещё раз.`,
  abandoned: (id: number, kind: DraftKind, button: string) =>
    `Вы начали готовить ${DRAFT_WHAT[kind]} по сообщению № ${id} и не закончили. Черновик сохранён: ` +
    `откройте карточку кнопкой «${t.alert.open(id)}», нажмите «${button}» и выберите «${td.button.resume}».`,
  interimGiven: (id: number) =>
    `По сообщению № ${id} промежуточный ответ уже дан: теперь готовят окончательный ответ.`,
  noInterim: (id: number) =>
    `Регламент не предусматривает промежуточного ответа: подготовьте ответ на сообщение № ${id}.`,

  curators: {
    header: (id: number, kind: DraftKind, author: string, organization: string) =>
      `Проект ${DRAFT_OF[kind]} по сообщению № ${id} (исполнитель: ${author}, ${organization})`,
    /** The caption of the draft's attachments: the text after them has the header. */
    attachments: (id: number, kind: DraftKind, count: number) =>
      `${count === 1 ? "Вложение" : "Вложения"} к проекту ${DRAFT_OF[kind]} по сообщению № ${id}`,
    reworked: (round: number, comment: string | null) =>
      [`Доработанный проект, версия ${round}.`, comment ? `Комментарий куратора: «${comment}»` : ""]
        .filter(Boolean)
        .join(" "),
    /** The final answer's draft: the interim answer it follows, posted then (Orenburg p.13, Georgievsk p.15). */
    afterInterim: (at: string, link: string) => `Промежуточный ответ размещён ${at}: ${link}`,
    /** The final answer begun from the answer's earlier draft: what changed since follows. */
    fromPrevious: (submittedAt: string) => `За основу взят прежний проект ответа от ${submittedAt}.`,
    repeatOf: (earlierId: number, links: string[], text: string | null) =>
      `Повторное к сообщению № ${earlierId}. ${earlierAnswer(links, text)}`,
    textLabel: (kind: DraftKind) => `Текст ${DRAFT_OF[kind]}:`,
    /** The draft's text is that of another post's approved answer: approved at a glance. */
    sameAsApproved: (earlierId: number) => `Текст совпадает с согласованным ответом по № ${earlierId}.`,
    /** To the admins: the only curator sent a draft, which he may not approve himself. */
    alone: (id: number, author: string) =>
      `Автор проекта по сообщению № ${id} — ${author}, единственный куратор. Согласовать собственный ` +
      `проект нельзя: пригласите ещё одного куратора (/invite → «${t.invite.roleButton.curator}»).`,
    /** To the admins: a draft was sent and no curator could be shown it. */
    unseen: (id: number, kind: DraftKind, organization: string) =>
      `Проект ${DRAFT_OF[kind]} по сообщению № ${id} (${organization}) не удалось показать ни одному куратору: ` +
      "ни в чате кураторов, ни лично. Проект ждёт согласования: пригласите куратора " +
      `(/invite → «${t.invite.roleButton.curator}») или проверьте, что бот может писать в чат кураторов.`,
  },
};

function earlierAnswer(links: string[], text: string | null): string {
  if (links.length === 0 && !text) return "Ответа по прежнему сообщению не было.";
  const where = links.length > 0 ? `Прежний ответ: ${links.join(", ")}` : "Прежний ответ";
  return text ? `${where}${links.length > 0 ? "" : ":"}\n«${text}»` : `${where}.`;
}
