/** Every word of routing, executors' actions on cards, lists, search and history. Plain, polite, short. */

import type { TypedDetail } from "../app/importance.js";
import type { Importance, IncidentState } from "../domain/incident.js";
import { quotedEnd, t } from "./texts.js";

const SHORT_STATE: Record<IncidentState, string> = {
  registered: "ждёт направления",
  assigned: "направлено",
  in_work: "в работе",
  on_approval: "на согласовании",
  approved: "согласовано",
  answered: "ответ размещён",
  awaiting_final: "ждёт окончательного ответа",
  closed: "закрыто",
};

export type ListFilter = "registered" | "assigned" | "in_work" | "on_approval" | "overdue" | "all";

/** « — до 24.11 11:00»: a deadline on a button, its year left out. */
const untilShort = (due: string | null) => (due ? ` — до ${due.slice(0, 5)} ${due.slice(11)}` : "");

/** The details menu's first line: how its message is known (see closePost). */
const menuTitle = (id: number) => `Сообщение № ${id}: что изменить?`;

export const tr = {
  shortState: SHORT_STATE,
  notFound:
    "Сообщение не найдено: проверьте номер или ссылку. Если сообщение ещё не зарегистрировано, " +
    "куратор регистрирует его командой /new.",
  notFoundNumber: (id: number) => `Сообщение № ${id} не найдено.`,
  notYours: (id: number) => `Сообщение № ${id} не направлялось вашему органу.`,
  closed: (id: number) => `Сообщение № ${id} уже закрыто.`,
  cancelled: "Отменено.",
  dialogOver: "Этот выбор уже завершён. Нажмите кнопку на карточке сообщения заново.",

  route: {
    notCurator: "Направлять сообщения может только куратор.",
    alreadyRouted: (id: number, lead: string) =>
      `Сообщение № ${id} уже направлено: ${lead}. Передать его другому органу — «Переназначить» на карточке.`,
    wrongState: (id: number, state: string) => `Сообщение № ${id}: ${state}. Направить его заново нельзя.`,
    /** «Направить так же»: the pop-up, naming the post routed so. */
    routedAlike: (id: number, of: number, lead: string, coexecutors: { name: string }[]) =>
      `Сообщение № ${id} направлено как № ${of}. Основной исполнитель: ${lead}` +
      (coexecutors.length > 0 ? `; соисполнители: ${coexecutors.map((c) => c.name).join(", ")}.` : "."),
    /** «Направить так же» once no post on the topic and place is with organizations (returned, closed, one switched off). */
    alikeGone: (id: number) =>
      `Похожее сообщение уже не у этих органов. Направьте № ${id} кнопкой «Направить».`,
    /** «Направить так же» pressed on a card older than the post's last change, or than the routing it offers. */
    alikeStale: (id: number) => `Сообщение № ${id} изменилось. Проверьте карточку и нажмите кнопку ещё раз.`,
    /**
     * The list's question. `who`: the curator it is for, named in a group (where colleagues may route
     * at once); `now`: the organizations that have the post, when routed again.
     */
    pick: (
      id: number,
      chosen: string[],
      search: string,
      empty: boolean,
      { who = null, now = [] }: { who?: string | null; now?: string[] } = {},
    ) =>
      [
        (who ? `${who} ${now.length > 0 ? "переназначает" : "направляет"} № ${id}` : `Сообщение № ${id}`) +
          (now.length > 0
            ? `${who ? "," : ""} сейчас у: ${now.join(", ")}. Кому передать?`
            : ": кому направить?") +
          " Нажмите на органы (можно несколько), затем «Готово».",
        chosen.length > 0 ? `Выбрано: ${chosen.map((name, i) => `${i + 1}. ${name}`).join(", ")}` : "",
        // The first chosen leads unless the curator says otherwise («Изменить основного исполнителя»).
        chosen.length > 1 ? `Основной исполнитель — ${chosen[0]}, остальные — соисполнители.` : "",
        search ? `Поиск: «${search}»${empty ? " — ничего не найдено." : ""}` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    decideFirst: (id: number, lead: string) =>
      `Сообщение № ${id} не направлено: проект ответа основного исполнителя (${lead}) на согласовании. ` +
      "Чтобы добавить соисполнителей, сначала верните проект на доработку, затем направьте сообщение заново.",
    finishFirst: (id: number) =>
      `Сначала закончите направление сообщения № ${id}: выберите органы и нажмите «Готово» или «Отмена». ` +
      "Затем пришлите ссылку или перешлите пост ещё раз.",
    find: "Найти по названию",
    showAll: "Показать все",
    done: "Готово",
    changeLead: "Изменить основного исполнителя",
    cancel: "Отмена",
    askSearch: "Напишите часть названия органа.",
    noneChosen: "Выберите хотя бы один орган.",
    noOrganizations: "Действующих органов нет. Администратор добавляет их командой /org_add.",
    /** `inOrder`: the co-executors' order matters (Orenburg p.14), with two of them or more. */
    chooseLead: (id: number, chosen: string[], inOrder: boolean) =>
      `Сообщение № ${id}. Кто основной исполнитель? Остальные станут соисполнителями${inOrder ? " в порядке выбора" : ""}:\n` +
      chosen.map((name, i) => `${i + 1}. ${name}`).join("\n"),
    /** `clause`: the curator's right to shorten (Orenburg p.6); `answerClause`: the deadline's own. */
    askShorten: (
      id: number,
      importance: string,
      fullHours: number,
      clause: string,
      answerClause: string,
      /** The shortening set at an earlier routing. */
      currentHours: number | null,
    ) =>
      `Сообщение № ${id} — ${importance}. ` +
      (currentHours
        ? `Срок ответа сейчас сокращён до ${currentHours} раб. ч (${clause}). `
        : `Сократить срок ответа (${clause})? `) +
      `Обычный срок (${answerClause}) — ${fullHours} раб. ч.`,
    /** `due`: the answer's deadline it gives («24.11.2026 11:00»), shown without the year. */
    shortenTo: (hours: number, due: string | null = null) => `${hours} раб. ч${untilShort(due)}`,
    keepShortened: (hours: number, due: string | null = null) => `Оставить ${hours} раб. ч${untilShort(due)}`,
    noShorten: "Без сокращения",
    unshorten: "Снять сокращение",
    unshortened: "Сокращение срока ответа снято: обычный срок.",
    /** `shown`: the card follows this message; otherwise the chat's card above is up to date. */
    changed: (id: number, shown = true) =>
      `Пока вы выбирали, сообщение № ${id} изменилось (его направили, взяли в работу, прислали ` +
      "информацию или поменяли важность, тему, повтор). Ничего не направлено. " +
      (shown
        ? "Вот карточка в нынешнем виде — проверьте и направьте заново:"
        : "Карточка выше — в нынешнем виде: проверьте и направьте заново."),
    /** Another curator (`who`) routed the post while this one chose. */
    routedMeanwhile: (id: number, organizations: string[], who: string) =>
      `Сообщение № ${id} уже направлено: ${organizations.join(", ")} (${who}). Ваш выбор не применён.`,
    /** A routing menu's button pressed in a group by someone else than the curator who opened it. */
    othersMenu: (who: string) =>
      `Это меню открыто куратором: ${who}. Чтобы направить, нажмите «Направить» на карточке.`,
    /** On a button of the routing list: the organization that has the post now. */
    hereNow: "📍 ",
    askOrder: (id: number, coexecutors: string[], clause: string) =>
      [
        `Сообщение № ${id}. Как соисполнителям готовить информацию (${clause} регламента)?`,
        ...coexecutors.map((name, i) => `${i + 1}. ${name}`),
        "",
        "«По очереди» — сначала сообщение получит первый; каждый следующий получит его вместе с информацией " +
          "предыдущих, когда предыдущий пришлёт свою, и его срок пойдёт с этого момента.",
        "«Одновременно» — все получат сообщение сразу.",
        "Порядок — тот, в котором вы выбирали органы; чтобы изменить его, нажмите «Отмена» и направьте заново.",
      ].join("\n"),
    inOrder: "По очереди",
    atOnce: "Одновременно",
    /** In order (Orenburg p.14): the parts that may come after the lead's draft is due (`clause`, p.9). */
    partsPastDraft: (draft: string, clause: string, parts: { name: string; at: string }[]) =>
      `⚠️ Проект ответа основной исполнитель должен прислать до ${draft} (${clause} регламента), а по очереди ` +
      `информация соисполнителей может прийти позже: ${parts.map((p) => `${p.name} — до ${p.at}`).join(", ")}. ` +
      "Регламент срок проекта не переносит. Если ждать нельзя, нажмите на карточке «Переназначить» и выберите «Одновременно».",
    /** An organization routed to without a work chat: its card goes to these executors privately. */
    privately: (name: string, executors: string[]) =>
      `⚠️ У органа «${name}» нет рабочего чата — карточку получат лично: ${executors.join(", ")}.`,
    /**
     * Organizations with neither a work chat nor an executor the bot can write to; `blocking`: those
     * who block it, `away`: those on leave (who get no new card).
     */
    nobodyThere: (organizations: { name: string; blocking: string[]; away: string[] }[]) => {
      const absent = organizations
        .filter((o) => o.blocking.length === 0 && o.away.length === 0)
        .map((o) => o.name);
      const lines = organizations
        .filter((o) => o.blocking.length > 0 || o.away.length > 0)
        .map(({ name, blocking, away }) =>
          away.length === 0
            ? `⚠️ В органе «${name}» некому получить сообщение: рабочего чата нет, а ` +
              (blocking.length === 1
                ? `исполнитель (${blocking[0]}) заблокировал бота. Попросите его открыть чат с ботом и нажать «Старт»`
                : `исполнители (${blocking.join(", ")}) заблокировали бота. Попросите их открыть чат с ботом и нажать «Старт»`) +
              " или администратора — привязать рабочий чат (/bind); либо направьте сообщение другому органу."
            : `⚠️ В органе «${name}» некому получить сообщение: рабочего чата нет, а ` +
              (blocking.length > 0
                ? `исполнители в отпуске (${away.join(", ")}) или заблокировали бота (${blocking.join(", ")})`
                : away.length === 1
                  ? `исполнитель (${away[0]}) в отпуске`
                  : `исполнители (${away.join(", ")}) в отпуске`) +
              ". Попросите администратора привязать рабочий чат (/bind) — или направьте сообщение другому органу.",
        );
      if (absent.length > 0)
        lines.unshift(
          `⚠️ ${absent.length === 1 ? `В органе «${absent[0]}»` : `В органах ${absent.map((n) => `«${n}»`).join(", ")}`} ` +
            "некому получить сообщение: нет ни рабочего чата, ни исполнителей в боте. Попросите администратора " +
            "пригласить исполнителя (/invite) или привязать рабочий чат (/bind) — или направьте сообщение другому органу.",
        );
      return lines.join("\n");
    },
    routed: (
      id: number,
      lead: string,
      coexecutors: string[],
      shortenedHours: number | null,
      inOrder = false,
      /** In order: the co-executor that holds the turn now (one that gave its part before is passed). */
      first: string | null = coexecutors[0] ?? null,
    ) =>
      [
        `Сообщение № ${id} направлено.`,
        `Основной исполнитель: ${lead}`,
        coexecutors.length > 0
          ? inOrder
            ? `Соисполнители по очереди: ${coexecutors.map((name, i) => `${i + 1}. ${name}`).join(", ")}`
            : `Соисполнители: ${coexecutors.join(", ")}`
          : "",
        inOrder && first
          ? `Первым информацию готовит ${first}; следующий получит сообщение, когда предыдущий пришлёт свою.`
          : "",
        shortenedHours ? `Срок ответа сокращён до ${shortenedHours} раб. ч.` : "",
      ]
        .filter(Boolean)
        .join("\n"),
  },

  accept: {
    done: (id: number) => `Вы взяли сообщение № ${id} в работу.`,
    taken: (who: string) => `Сообщение уже взято в работу: ${who}.`,
    notAssigned: (id: number) =>
      `Сообщение № ${id} направлено другому органу: взять его в работу может только его исполнитель.`,
    /** To a curator or a head: no organization of theirs could be the one. */
    executorsOnly: (id: number) => `Это делает исполнитель органа, которому направлено сообщение № ${id}.`,
    withdrawn: (id: number) => `Сообщение № ${id} больше не направлено вашему органу.`,
    /** «Не ждать очереди» (Orenburg p.14): the curator's pop-ups. */
    turnReleased: (id: number, organization: string) =>
      `Сообщение № ${id} передано соисполнителю: ${organization}. Предыдущий по-прежнему должен прислать свою информацию.`,
    /** To a person whose private card, kept for another of his organizations, now carries this one's buttons too. */
    alsoYours: (id: number, organization: string) =>
      `Сообщение № ${id} теперь и у вашего органа «${organization}»: кнопки для него — на карточке выше.`,
    turnGone: (id: number) => `Очередь по сообщению № ${id} уже передана дальше или больше не нужна.`,
    turnNotCurator: "Передавать очередь соисполнителей может только куратор.",
    notYourTurn: (id: number) =>
      `Сообщение № ${id} соисполнители готовят по очереди, и ваша очередь ещё не наступила: карточка придёт, когда предыдущий пришлёт информацию.`,
    wrongState: (id: number, state: string) => `Сообщение № ${id}: ${state}. Это действие уже недоступно.`,
  },

  /** «Взять себе»: a colleague takes over the post (or a co-executor's part) another holds. */
  takeOver: {
    /** `part`: a co-executor's part, named by its organization. */
    confirm: (id: number, holder: string, part: string | undefined) =>
      `Взять себе ${part ? `информацию соисполнителя (${part}) по сообщению № ${id}` : `сообщение № ${id}`}? ` +
      `Сейчас ответственный — ${holder}. Сроки не изменятся; напоминания и ответственность перейдут к вам.`,
    yes: "Да, взять себе",
    no: "Отмена",
    cancelled: "Отменено: ответственный прежний.",
    alreadyYours: (id: number) => `Сообщение № ${id} и так у вас в работе.`,
    notYourQuestion: "Этот вопрос задан другому сотруднику.",
    changed: (id: number) =>
      `Пока вы подтверждали, сообщение № ${id} изменилось, поэтому ничего не сделано. Посмотрите карточку и нажмите «Взять себе» ещё раз, если нужно.`,
    /** `part`: a co-executor's part (by its organization) was taken, not the post. */
    done: (id: number, part?: string) =>
      part
        ? `Информация соисполнителя (${part}) по сообщению № ${id} теперь ваша.`
        : `Сообщение № ${id} теперь ваше.`,
    /** The question, once answered: what was done; `draftPassed`, with the former holder's saved draft. */
    handedOver: (id: number, from: string, to: string, part: string | undefined, draftPassed: boolean) =>
      `Сообщение № ${id}${part ? ` (информация соисполнителя: ${part})` : ""} передано: ${from} → ${to}.` +
      (draftPassed ? " Начатый черновик передан тоже: «Подготовить ответ» предложит продолжить его." : ""),
    /** To the one it was taken from, quietly. `draftPassed`: their saved draft went with it. */
    toFormer: (id: number, from: string, to: string, part: string | undefined, draftPassed: boolean) =>
      `Сообщение № ${id}${part ? ` (информация соисполнителя: ${part})` : ""} передано: ${from} → ${to}. ` +
      `Напоминания по нему теперь получает ${to}, вам делать ничего не нужно.` +
      (draftPassed ? " Ваш начатый черновик передан вместе с ним." : ""),
  },

  /** To an organization the post was taken from (flows/withdrawn.ts). */
  withdrawn: {
    /** `to`: the new lead's name; none when the post went back to the curators. */
    lead: (id: number, to: string | null, approved: boolean) =>
      (to
        ? `Сообщение № ${id} передано другому органу (${to}): готовить ответ по нему больше не нужно.`
        : `Сообщение № ${id} больше не направлено вашему органу: готовить ответ по нему не нужно.`) +
      (approved ? " Согласованный ответ не размещайте." : ""),
    /** The lead kept as a co-executor of the new lead `to`, its part due `due` under `clause`. */
    leadToCoexecutor: (id: number, to: string, due: string | null, clause: string, approved: boolean) =>
      `Сообщение № ${id}: ответ теперь готовит ${to}, ваш орган — соисполнитель. Возьмите сообщение в работу ` +
      "на карточке и пришлите информацию основному исполнителю кнопкой «Отправить информацию»" +
      `${due ? ` до ${due}` : ""}${clause ? ` (${clause} регламента)` : ""}.` +
      (approved ? " Согласованный ответ не размещайте." : ""),
    /** The lead kept as a co-executor of the new lead `to` whose turn has not come (Orenburg p.14). */
    leadToQueued: (id: number, to: string, approved: boolean) =>
      `Сообщение № ${id}: ответ теперь готовит ${to}, ваш орган — соисполнитель по очереди. ` +
      "Готовить ответ не нужно: когда наступит ваша очередь, придёт карточка — тогда пришлите информацию." +
      (approved ? " Согласованный ответ не размещайте." : ""),
    coexecutor: (id: number) =>
      `Сообщение № ${id}: ваш орган больше не соисполнитель, информацию по нему присылать не нужно.`,
    /** The lead routed anew to itself after its draft went to the curators; `coexecutors`: those it has now. */
    leadAnew: (id: number, approved: boolean, coexecutors: string[]) =>
      `Сообщение № ${id} направлено вашему органу заново` +
      (coexecutors.length > 0 ? `, с соисполнителями (${coexecutors.join(", ")}): ` : ": ") +
      (approved ? "согласованный ответ не размещайте — " : "проект на согласовании снят — ") +
      "возьмите сообщение в работу и подготовьте новый проект" +
      (coexecutors.length > 0 ? " с учётом их информации." : "."),
    /** To the lead kept on the post: a co-executor still owing its part was dropped by the curator. */
    toLead: (id: number, organization: string) =>
      `Куратор снял соисполнителя ${organization} с сообщения № ${id}: его информации не будет.`,
    leadReturned: (id: number) =>
      `Сообщение № ${id} ответственный исполнитель вернул куратору: информацию по нему присылать не нужно, ` +
      "пока куратор не направит его заново.",
    /** To a co-executor told so (leadReturned): the post is routed anew, and not to it. */
    notRoutedAnew: (id: number) =>
      `Сообщение № ${id} направлено заново без вашего органа: информация по нему больше не нужна.`,
  },

  return: {
    /** Both regulations allow a return only outside the organization's competence (Orenburg p.7, Georgievsk p.10). */
    reasons: ["Не наша компетенция", "Нужна другая организация"],
    /** `lead`: a co-executor's lead organization, which asks the author («Запрос автору» is only on its card). */
    ask: (id: number, late: string | null, clause: string, lead: string | null) =>
      [
        `Почему вы возвращаете сообщение № ${id}? Выберите причину или напишите её. Отмена — /cancel.`,
        `Вернуть можно сообщение не по компетенции органа${clause ? ` (${clause})` : ""}. ` +
          (lead
            ? `Если не хватает сведений, не возвращайте: вопрос автору задаёт ответственный исполнитель (${lead}) — сообщите ему, что нужно уточнить.`
            : "Если не хватает сведений, не возвращайте: задайте вопрос автору кнопкой «Запрос автору» " +
              "(она на карточке, когда сообщение взято в работу)."),
        late
          ? `Срок возврата истёк ${late}. Вернуть всё ещё можно, но куратор увидит, что возврат запоздал.`
          : "",
      ]
        .filter(Boolean)
        .join("\n"),
    badReason: "Напишите причину текстом, от 3 до 500 символов, или выберите её кнопкой.",
    /** After a reason picked from the buttons: whose competence it is, optionally. */
    whose: (reason: string) =>
      `«${reason}». Уточните, к чьей компетенции относится сообщение (например: «управляющая компания», ` +
      "«Минстрой»), — так куратор быстрее направит его. Или нажмите «Вернуть без уточнения». " +
      "Сообщение вернётся куратору после вашего ответа.",
    asIs: "Вернуть без уточнения",
    badWhose: "Напишите одним сообщением, до 300 символов, или нажмите «Вернуть без уточнения».",
    done: (id: number) => `Сообщение № ${id} возвращено куратору.`,
    noticeLead: (id: number, organization: string, reason: string, late: boolean) =>
      `Сообщение № ${id} возвращено${late ? " с опозданием" : ""}: ${organization} — ${quotedEnd(reason)} Его нужно направить заново.`,
    noticeCoexecutor: (id: number, organization: string, reason: string, late: boolean) =>
      `Соисполнитель ${organization} вернул${late ? " с опозданием" : ""} сообщение № ${id}: ${quotedEnd(reason)}`,
    /** To the lead organization: the part it waited for will not come. */
    toLead: (id: number, organization: string) =>
      `Соисполнитель ${organization} вернул сообщение № ${id} куратору: его информации не будет.`,
    failed: (id: number) => `Сообщение № ${id} уже нельзя вернуть: его состояние изменилось.`,
  },

  part: {
    done: (id: number) => `Информация по сообщению № ${id} отправлена куратору и основному исполнителю.`,
    doneForApproval: (id: number) =>
      `Информация по сообщению № ${id} отправлена куратору на согласование; он передаст её основному исполнителю.`,
    notice: (id: number, organization: string, text: string) =>
      `Информация соисполнителя по сообщению № ${id} — ${organization}:\n\n${text}`,
    /**
     * A part reaching the lead after its answer was approved (`approved`: when): the bot has no supplement.
     * `curatorPosts`: a curator has taken the posting on himself, so the lead is not told to post it.
     */
    afterApprovalLead: (approved: string, curatorPosts = false) =>
      `⚠️ Эта информация пришла после того, как ответ был согласован (${approved}): в согласованном тексте её нет. ` +
      "Дополнения к согласованному ответу в боте нет. Если информацию нужно учесть, попросите куратора направить " +
      "сообщение вашему органу заново («Переназначить») и подготовьте новый проект" +
      (curatorPosts ? "." : "; если нет — разместите согласованный ответ."),
    /** The same, to the curators; `lead`: the lead organization. */
    afterApprovalCurators: (approved: string, lead: string) =>
      `⚠️ Эта информация пришла после того, как ответ был согласован (${approved}): в согласованном тексте её нет. ` +
      "Дополнения к согласованному ответу в боте нет. Если информацию нужно учесть, нажмите на карточке «Переназначить» " +
      `и направьте сообщение тому же основному исполнителю (${lead}): он подготовит новый проект.`,
    /** A part reaching the lead while its answer's draft (`submitted`: when sent) waits for the curators. */
    onApprovalLead: (submitted: string) =>
      `⚠️ Эта информация пришла, когда ваш проект ответа уже был на согласовании (отправлен ${submitted}): в нём её нет. ` +
      "Куратор об этом знает: если информацию нужно учесть, попросите его вернуть проект на доработку.",
    /** The same, to the curators; `lead`: the lead organization. */
    onApprovalCurators: (submitted: string, lead: string) =>
      `⚠️ Проект ответа, ждущий вашего решения, основной исполнитель (${lead}) отправил ${submitted} — до этой информации: в нём её нет. ` +
      "Если информацию нужно учесть, верните проект кнопкой «На доработку».",
    /** To a co-executor whose turn came (Orenburg p.14): a part given before it, to take into account. */
    before: (id: number, organization: string, text: string) =>
      `Сообщение № ${id}: до вас информацию прислал соисполнитель ${organization}. Учтите её в своей:\n\n${text}`,
    forApproval: (id: number, organization: string, text: string, due: string | null, clause: string) =>
      `Информация соисполнителя по сообщению № ${id} — ${organization} — на согласование:\n\n${text}\n\n` +
      `Согласуйте и передайте основному исполнителю${due ? ` до ${due}` : ""} (${clause} регламента).`,
    passedOn: (id: number) => `Информация по сообщению № ${id} передана основному исполнителю.`,
    passedOnAlready: (id: number) =>
      `Эта информация по сообщению № ${id} уже передана основному исполнителю или больше не нужна.`,
    passOnNotCurator: "Согласовать или вернуть информацию соисполнителя может только куратор.",
    noApproval:
      "По этому регламенту информация соисполнителя идёт основному исполнителю сразу, без согласования куратором.",
    newerVersion: (id: number) =>
      `Соисполнитель уже прислал новую версию этой информации по сообщению № ${id}: решите по ней, она ниже.`,
    returnedAlready: (id: number) =>
      `Эта информация по сообщению № ${id} уже возвращена соисполнителю на доработку.`,
    returnAsk: (id: number, organization: string) =>
      `Сообщение № ${id}: что доработать в информации соисполнителя (${organization})? ` +
      "Напишите комментарий (от 3 до 1000 символов). Отмена — /cancel.",
    returnNotice: (id: number, organization: string, comment: string, due: string | null, clause: string) =>
      `Информация соисполнителя по сообщению № ${id} (${organization}) возвращена куратором на доработку: ${comment}\n\n` +
      `Пришлите исправленную информацию${due ? ` до ${due}` : ""}${clause ? ` (${clause} регламента)` : ""} кнопкой «Отправить информацию».`,
    returned: (id: number, organization: string, due: string | null) =>
      `Информация по сообщению № ${id} возвращена на доработку: ${organization}${due ? `, срок — ${due}` : ""}.`,
    notCoexecutor: (id: number) =>
      `Отправить информацию по сообщению № ${id} может только принявший его соисполнитель.`,
    failed: (id: number) => `Информацию по сообщению № ${id} отправить уже нельзя: его состояние изменилось.`,
  },

  edit: {
    button: "Изменить сведения",
    menuTitle,
    menu: (
      id: number,
      importance: string,
      topic: string | null,
      place: string | null,
      repeatOf: number | null = null,
      postedAt: string | null = null,
    ) =>
      [
        menuTitle(id),
        `Важность: ${importance}`,
        `Тема: ${topic ?? "не указана"}`,
        `Место: ${place ?? "не указано"}`,
        `Дата поста: ${postedAt ?? "не указана"}`,
        ...(repeatOf !== null ? [`Повторное к сообщению № ${repeatOf}`] : []),
      ].join("\n"),
    postedAt: {
      button: "Дата поста",
      ask: (id: number, current: string | null) =>
        `Сообщение № ${id}: когда опубликован сам пост? Напишите дату и время, например 23.11.2026 14:30.` +
        `${current ? ` Сейчас: ${current}.` : ""} Отмена — /cancel.`,
      badValue: "Напишите дату и время поста так: 23.11.2026 14:30. Отмена — /cancel.",
      afterDetection: (detected: string) =>
        `Пост не может быть опубликован позже, чем его обнаружили (${detected}). Проверьте дату и пришлите ещё раз.`,
      tooOld: "Это больше года назад. Проверьте дату и пришлите ещё раз.",
      set: (id: number, at: string) =>
        `Сообщение № ${id}: пост опубликован ${at}. Сроки, которые считаются от даты поста, пересчитаны.`,
    },
    link: {
      button: "Ссылка на пост",
      ask: (id: number, current: string) =>
        `Сообщение № ${id}: пришлите новую ссылку на пост (например, автор удалил пост и опубликовал его заново). ` +
        `Номер, сроки и начатая работа сохранятся. Отмена — /cancel.\nСейчас: ${current}`,
      taken: (other: number) =>
        `Эта ссылка уже зарегистрирована: сообщение № ${other}. Пришлите другую ссылку или /cancel.`,
      set: (id: number, link: string) => `Сообщение № ${id}: новая ссылка на пост — ${link}`,
    },
    repeat: {
      button: "Повторное к …",
      ask: (id: number) =>
        `Сообщение № ${id}: какое более раннее сообщение оно повторяет? ` +
        "Пришлите его номер (например, 12) или ссылку на тот пост. Отмена — /cancel.",
      badAnswer: "Пришлите номер сообщения (например, 12) или ссылку на пост. Отмена — /cancel.",
      noNumber: (id: number) => `Сообщения № ${id} нет. Проверьте номер и пришлите ещё раз.`,
      noLink: "Пост с такой ссылкой не зарегистрирован. Пришлите номер сообщения или другую ссылку.",
      severalAtLink: (ids: number[]) =>
        `По этой ссылке зарегистрировано несколько комментариев: ${ids.map((id) => `№ ${id}`).join(", ")}. Пришлите номер нужного.`,
      notEarlier: (id: number, other: number) =>
        other === id
          ? "Это то же самое сообщение. Пришлите номер более раннего."
          : `Сообщение № ${other} зарегистрировано позже № ${id}. Пришлите номер более раннего.`,
      done: (id: number, earlier: number) =>
        `Сообщение № ${id} отмечено как повторное к № ${earlier}: на карточках видно, как было рассмотрено сообщение № ${earlier}.`,
      already: (id: number, earlier: number) =>
        `Сообщение № ${id} уже отмечено как повторное к № ${earlier}.`,
    },
    level: {
      normal: "Обычное",
      important: "Важное",
      significant: "Социально значимое",
    } satisfies Record<Importance, string>,
    current: (label: string) => `✓ ${label}`,
    subject: {
      topic: "Тема",
      place: "Место",
      text: "Текст поста",
      author: "Автор",
    } satisfies Record<TypedDetail, string>,
    close: "Готово",
    void: "Закрыть: ошибка или пост удалён",
    notCurator: "Менять сведения о сообщении может только куратор.",
    answered: (id: number) => `Ответ на сообщение № ${id} уже размещён: менять сведения о нём поздно.`,
    changed: (id: number) =>
      `Сообщение № ${id} изменилось, пока было открыто это меню. Меню обновлено: посмотрите и выберите ещё раз.`,
    sameLevel: (level: string) => `Важность уже такая: ${level}.`,
    levelSet: (id: number, level: string) => `Сообщение № ${id}: важность — ${level}.`,
    /** Made «обычное» with its answer deadline shortened (Orenburg p.6): the shortening is the routing's. */
    stillShortened: (hours: number) =>
      ` Срок ответа по-прежнему сокращён до ${hours} раб. ч: снять сокращение можно, направив сообщение заново («Переназначить»).`,
    ask: {
      topic: (id: number, current: string | null) =>
        `Сообщение № ${id}: напишите тему (до 300 символов).${current ? ` Сейчас: ${quotedEnd(current)}` : ""} Отмена — /cancel.`,
      place: (id: number, current: string | null) =>
        `Сообщение № ${id}: напишите место — населённый пункт, улицу, адрес (до 300 символов).${current ? ` Сейчас: ${quotedEnd(current)}` : ""} Отмена — /cancel.`,
      /** `current`: the start of the text the cards quote now. */
      text: (id: number, current: string | null) =>
        `Сообщение № ${id}: пришлите текст поста — скопируйте его из поста, карточки будут цитировать его.${current ? ` Сейчас: ${quotedEnd(current)}` : ""} Отмена — /cancel.`,
      author: (id: number, current: string | null) =>
        `Сообщение № ${id}: кто автор поста? Напишите имя или ссылку на страницу автора (до 300 символов).${current ? ` Сейчас: ${quotedEnd(current)}` : ""} Отмена — /cancel.`,
    } satisfies Record<TypedDetail, unknown>,
    clear: {
      topic: "Убрать тему",
      place: "Убрать место",
      text: "Убрать текст",
      author: "Убрать автора",
    } satisfies Record<TypedDetail, string>,
    badValue: "Напишите одним сообщением, текстом до 300 символов. Отмена — /cancel.",
    badText: "Пришлите текст поста одним сообщением. Отмена — /cancel.",
    /**
     * A post forwarded, or its link pasted, where a topic, a place, a number or a time was asked.
     * Posts are registered in the private chat with the bot, not in a group.
     */
    closedByPost: (what: "forward" | "link", inPrivate: boolean) =>
      (what === "forward" ? "Пересланный пост не принят" : "Ссылка на пост не принята") +
      " как ответ: вопрос бота закрыт, " +
      (inPrivate
        ? "ниже пост можно зарегистрировать"
        : what === "forward"
          ? "зарегистрировать пост можно, переслав его боту в личный чат"
          : "зарегистрировать пост можно, прислав ссылку боту в личный чат") +
      ". Чтобы вернуться к вопросу, нажмите кнопку ещё раз.",
    set: {
      topic: (id: number, value: string | null) =>
        value ? `Сообщение № ${id}: тема — ${quotedEnd(value)}` : `Сообщение № ${id}: тема убрана.`,
      place: (id: number, value: string | null) =>
        value ? `Сообщение № ${id}: место — ${quotedEnd(value)}` : `Сообщение № ${id}: место убрано.`,
      text: (id: number, value: string | null) =>
        value ? `Сообщение № ${id}: текст поста изменён.` : `Сообщение № ${id}: текст поста убран.`,
      author: (id: number, value: string | null) =>
        value ? `Сообщение № ${id}: автор — ${quotedEnd(value)}` : `Сообщение № ${id}: автор убран.`,
    } satisfies Record<TypedDetail, unknown>,
    same: "Так уже записано: ничего не изменено.",
    /** `button`: the menu's button that asked it («Тема», «Место», «Текст поста», «Дата поста», «Ссылка на пост»). */
    changedWhileTyping: (id: number, button: string) =>
      `Пока вы писали, сообщение № ${id} изменилось, поэтому ничего не записано. ` +
      `Меню выше обновлено: посмотрите и нажмите «${button}» ещё раз.`,
  },

  view: {
    sentPrivately: "Отправлено вам в личные сообщения.",
    noText: (id: number) => `В сообщении № ${id} нет текста поста.`,
    fullTextTitle: (id: number) => `Сообщение № ${id}, полный текст:`,
    historyTitle: (id: number) => `История сообщения № ${id}:`,
    /** The states only when they changed: a step that keeps the state says so by its words alone. */
    historyLine: (at: string, who: string, what: string, from: string | null, to: string | null) =>
      `${at} — ${who} — ${what}${from !== to ? ` (${from ?? "—"} → ${to ?? "—"})` : ""}`,
    system: "бот",
  },

  action: {
    registered: "зарегистрировано",
    route: (
      lead: string | undefined,
      coexecutors: string[],
      inOrder = false,
      kept: string[] = [],
      reworking: string[] = [],
    ) =>
      `направлено${lead ? `: ${lead}` : ""}${coexecutors.length > 0 ? `; соисполнители${inOrder ? " по очереди" : ""}: ${coexecutors.join(", ")}` : ""}` +
      (kept.length > 0 ? `; информация, полученная раньше, сохранена: ${kept.join(", ")}` : "") +
      (reworking.length > 0 ? `; доработка информации продолжается: ${reworking.join(", ")}` : ""),
    releaseTurn: "очередь соисполнителей передана дальше, не дожидаясь информации",
    turnCame: (what: string, organization: string) =>
      `${what}; сообщение получил следующий соисполнитель: ${organization}`,
    accept: "взято в работу",
    return: (reason: string | undefined) => `возвращено${reason ? `: «${reason}»` : ""}`,
    markToxic: "закрыто как оскорбительное",
    markVoid: (duplicateOf: unknown) =>
      typeof duplicateOf === "number"
        ? `закрыто без ответа как дубль № ${duplicateOf}`
        : "закрыто без ответа: пост удалён или зарегистрирован ошибочно",
    markThreat: "закрыто как угроза",
    markRepeat: (earlier: unknown) =>
      typeof earlier === "number" ? `отмечено как повторное к № ${earlier}` : "отмечено как повторное",
    markNotRepeat: "отмечено как новое, не повторное",
    sendPart: (organization: string | undefined) =>
      `отправлена информация соисполнителя${organization ? `: ${organization}` : ""}`,
    passOnPart: (organization: string | undefined) =>
      `информация соисполнителя${organization ? ` (${organization})` : ""} передана основному исполнителю`,
    returnPart: (organization: string | undefined, comment: string | undefined) =>
      `информация соисполнителя${organization ? ` (${organization})` : ""} возвращена на доработку${comment ? `: «${comment}»` : ""}`,
    submitDraft: (kind: unknown) =>
      kind === "interim"
        ? "проект промежуточного ответа отправлен на согласование"
        : kind === "clarification"
          ? "проект запроса автору отправлен на согласование"
          : "проект ответа отправлен на согласование",
    approve: (kind: unknown) =>
      kind === "interim"
        ? "промежуточный ответ согласован"
        : kind === "clarification"
          ? "запрос автору согласован"
          : "ответ согласован",
    requestRework: (comment: string | undefined, kind: unknown) =>
      `${kind === "interim" ? "промежуточный ответ" : kind === "clarification" ? "запрос автору" : "ответ"} ` +
      `возвращён на доработку${comment ? `: «${comment}»` : ""}`,
    publish: (link: string | undefined) => `ответ размещён${link ? `: ${link}` : ""}`,
    publishInterim: (link: string | undefined) => `промежуточный ответ размещён${link ? `: ${link}` : ""}`,
    askClarification: (link: string | undefined) => `запрос автору размещён${link ? `: ${link}` : ""}`,
    setImportance: (from: string | undefined, to: string | undefined) =>
      `важность: ${from ?? "—"} → ${to ?? "—"}`,
    setTopic: (to: string | undefined) => (to ? `тема: «${to}»` : "тема убрана"),
    setPlace: (to: string | undefined) => (to ? `место: «${to}»` : "место убрано"),
    /** `to`: the start of the new text. */
    setText: (to: string | undefined) => (to ? `текст поста: «${to}»` : "текст поста убран"),
    setAuthor: (to: string | undefined) => (to ? `автор: «${to}»` : "автор убран"),
    setPostedAt: (to: string | undefined) => `дата поста: ${to ?? "—"}`,
    setLink: (from: string | undefined, to: string | undefined) =>
      `ссылка изменена: ${from ?? "—"} → ${to ?? "—"}`,
    linkGivenUp: (to: unknown) =>
      `ссылка передана сообщению № ${typeof to === "number" ? to : "—"} (этот пост закрыт без ответа)`,
    qualityMark: (mark: unknown) => `оценка качества ответа: ${typeof mark === "number" ? mark : "—"}`,
    curatorPosts: "«Размещу лично»: согласованный ответ размещает куратор",
    curatorGaveUp: "«Размещу лично» отменено: согласованный ответ размещает исполнитель",
    /** The actor is the admin; the one who held the post is not named (they left the organization). */
    takeOver: (from: string | undefined, to: string | undefined, part: string | undefined) =>
      `передано: ${from ?? "—"} → ${to ?? "—"}${part ? ` (информация соисполнителя: ${part})` : ""}`,
    /** The organization merged into another (/orgs «Объединить с…»); `dropped`: its part was no longer needed. */
    organizationMerged: (from: string | undefined, into: string | undefined, dropped: boolean) =>
      `орган «${from ?? "—"}» объединён с «${into ?? "—"}»` +
      (dropped ? ": информация соисполнителя больше не нужна, ответ готовит основной исполнитель" : ""),
    holderRemoved: (organization: string | undefined) =>
      `ответственный исключён из органа${organization ? ` «${organization}»` : ""}: сообщение ждёт другого исполнителя`,
  },

  list: {
    /** Also the answer to /find and to a list's card buttons in a chat that may not show the card. */
    onlyHere:
      "Сообщения и их список открываются в личном чате с ботом, в чате кураторов или в рабочем чате органа.",
    notAllowed: "Список сообщений доступен кураторам, руководителям и исполнителям.",
    /** In an organization's work chat: a post that is not its, or a list asked by someone not of it. */
    otherOrganization: (id: number) =>
      `Сообщение № ${id} не направлялось органу этого чата: откройте его в личном чате с ботом или в чате кураторов.`,
    notThisOrganization:
      "Список этого чата — сообщения его органа, для его исполнителей. Свой список откройте в личном чате с ботом: /list.",
    /** The whole answer to an empty list; a filter chosen on the curators' list is named (other posts may be open). */
    empty: (filter: string) =>
      filter ? `Открытые сообщения (${filter.toLowerCase()}): нет.` : "Открытых сообщений нет.",
    /** `shown`: the first and the last of the posts on this page, when it does not show them all. */
    title: (filter: string, total: number, shown?: [number, number]) =>
      `Открытые сообщения${filter ? ` (${filter.toLowerCase()})` : ""}: ${total}${shown ? `, показаны ${shown[0]}–${shown[1]}` : ""}`,
    /** Under the title, once for all the lines, which leave «рабочего времени» out. */
    workingTime: "Осталось и просрочено — в рабочем времени.",
    /** The list's next page (`left`: the posts after this one), and its previous one. */
    next: (left: number) => `▶ Ещё ${left}`,
    previous: "◀",
    /** Heads the posts at the end of an organization's list where its part is given out: they owe nothing. */
    givenOut: "Информация отправлена, действий не требуется:",
    /**
     * `about`: what tells the post apart (see about); `state`: none for a post answered or closed,
     * whose `deadline` is then how it ended (`ended`).
     */
    line: (
      id: number,
      network: string,
      about: string | null,
      organization: string | null,
      deadline: string | null,
      state: string | null,
    ) =>
      `№ ${id} · ${network}${about ? ` · ${about}` : ""}${organization ? ` · ${organization}` : ""} · ${deadline ?? "без срока"}${state ? ` · ${state}` : ""}`,
    /** A line's post: its topic and place, each if known, then the start of its text in quotes. */
    about: (topic: string | null, place: string | null, text: string | null) => {
      const head = [topic, place].filter((part) => part !== null).join(", ");
      const quoted = text ? `«${text}»` : "";
      return head && quoted ? `${head}: ${quoted}` : head || quoted || null;
    },
    /** In place of the deadline and the state of a post answered, or closed without an answer. */
    ended: (how: "answered" | "closed", at: string) =>
      `${how === "answered" ? "ответ размещён" : "закрыто без ответа"} ${at}`,
    /**
     * `part`: on the curators' list (or of someone in several organizations), the deadline is a
     * co-executor's part's (or theirs to pass it on); `at`: its time alone when it is today;
     * `missed`: steps missed while it is still ahead.
     */
    deadline: (at: string, remaining: string, part?: "coexecutor" | "passOn", missed: string[] = []) =>
      `${part === "coexecutor" ? "информация соисполнителя " : part === "passOn" ? "передача информации соисполнителя " : ""}до ${at} (${remaining})` +
      (missed.length > 0 ? ` · ${t.stepsMissed(missed)}` : ""),
    filters: {
      registered: "Ждут направления",
      assigned: "Направлены",
      in_work: "В работе",
      on_approval: "На согласовании",
      overdue: "Просрочены",
      all: "Все",
    } satisfies Record<ListFilter, string>,
  },

  find: {
    usage:
      "Пришлите номер сообщения, ссылку на пост или слова из его текста, например: /find 12, " +
      "/find https://vk.com/wall-1_2 или /find горячая вода",
    /** `words`: as typed, cut to a few words. */
    byWords: (words: string) => `Найдено по словам «${words}», новые сверху:`,
    more: "…найдены и другие. Чтобы сузить поиск, добавьте слова.",
    /** A line's author, when the words are not all in its text, topic and place: why it was found. */
    matchedAuthor: (value: string) => `автор: «${value}»`,
    nothing: (words: string) =>
      `По словам «${words}» сообщений не найдено. Найти можно и по номеру или ссылке на пост: ` +
      "/find 12, /find https://vk.com/wall-1_2; открытые сообщения — /list.",
  },
};
