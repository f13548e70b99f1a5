/**
 * Bump when a conversation's code changes in a way that makes stored replays invalid: stored
 * conversations of an older version are dropped instead of replayed wrongly, and a draft's dialogue
 * stored under one is not named as kept (dialogueArgs, db/conversation-storage.ts). 2: a question closes
 * after 30 minutes (waitForAnswer reads the clock); 3: a draft names its kind; 4: registration asks
 * about a repeat under the card, once the post is registered; 5: a dialogue's buttons count only
 * under its own question, and a typed-text question lets other buttons through; 6: so do /new's
 * answers and the draft's «Готово» and resume offer; 7: the link dialogue compares the post by its
 * duplicate key, and routing answers a pasted link instead of searching for it; 8: a draft begun
 * afresh first shows the co-executors' parts, and a link dialogue may offer to take the post's own
 * link; 9: a text typed at the attachments step replaces one taken from a saved or returned draft;
 * 10: the return dialogue tells a co-executor that its lead, not it, asks the author; 11: a reason
 * picked from its buttons is followed by whose competence it is; 12: registration tells another
 * comment at a registered link (Одноклассники, Дзен…) from the one registered there; 13: what
 * happens to a chat is no answer to a dialogue; 14: /new's link question finds the link among
 * words, and a post forwarded while it is asked says the first one is left; a draft's text refuses
 * a link alone; an answer's link refuses another post's comment; a new «Размещу лично» claim's
 * window starts at its press; a returned answer is offered back after a question to the author; an
 * organization's name question ends on a forward, a link or a file; the routing summary reads whose
 * turn it is; a post's detail question says it closed on a forward; 15: a post's detail question
 * closes on a pasted link; routing again asks about the shortening in force; a link among words is
 * taken as a published answer's; another text at the draft's attachments step offers to replace or
 * append; a refused draft says whose went first; 16: routing offers only the shortenings whose
 * deadline is still ahead, each with its deadline, and names the executors who block the bot; a
 * post's detail refused as changed names the button that asked it; a file sent at a draft's preview
 * is added, and a text kept from a saved draft is replaced once; 17: in a group, a question names
 * whom it asks and a reply to someone else's message is no answer; a command to another bot passes
 * a dialogue by; an answer counts when it was written, a published answer's link too; the draft
 * preview's album note; a question's confirmation names the answer's draft still owed (Georgievsk
 * p.11); a caption where a text is asked is not read; a voice note where a draft's text is asked
 * cannot be attached; a reply to a message of the bot the dialogue did not send (but its post's card
 * or draft) is no answer, each dialogue noting what it sent (dialoguePlugin); 18: a post's details
 * correct its text and author, and a detail's question is edited into its confirmation; the intake
 * asks the text when words came with a pasted link; 19: routing «По очереди» warns of parts due
 * after the lead's draft, the intake's repeat offers leave a surge's topic and place out; 20: a
 * co-executor's part sent while the lead's answer draft is on approval says so to the curators; 21: a
 * draft opened under the rework notice does not repeat the curator's comment; 22: the draft
 * preview's attachments are captioned as the draft's and come quietly; 23: a co-executor's part
 * for the curators to pass on says the lead's answer draft on approval lacks it; 24: where curators
 * may post the answer, the draft sent to them offers «Согласовать и разместить лично»; 25: routing's
 * lead question speaks of the co-executors' order only where the curator sets it (Orenburg p.14);
 * 26: the final answer offers the answer's earlier draft without a rework the interim answer ended;
 * 27: routing's confirmation names who gets the card privately where an organization has no work chat;
 * 28: a link question cancelled after «Согласовать и разместить лично» sends the executors the approved text;
 * 29: the rework notice of an answer offers «Промежуточный ответ» where the card does; 30: an
 * answer's link (or an interim one's) is told to the heads told of the post; 31: a final answer's
 * draft begun from the answer's earlier one keeps that in its saved work, shown to the curators when
 * resumed; 32: a post's details change its link, and a draft sent for a post closed meanwhile says it
 * was closed; 33: a dialogue's notices (rework, return, link, a curator's claim given up, a post's
 * detail told to the heads, a draft sent for approval) reach each chat once however often its step is handled;
 * 34: the intake's repeat offers find a recent post with the same text, offered to close as its duplicate;
 * 35: a draft dialogue begun before a colleague took the post over («Взять себе») is not sent; 36: nor
 * is a co-executor's part dialogue; 37: the leave dialogue («в отпуске до …», /leave and /people); 38: a
 * comment's new link keeps it a comment under the post.
 * 39: a rename asks whether to change the short name too, and a co-executor's part dialogue offers the
 * answer's draft saved while the organization was the lead.
 * 40: the routing dialogue takes the first organization chosen as the lead («Изменить основного
 * исполнителя»).
 * 41: the draft's question for the text offers a related post's approved answer («Тот же текст, что по № N»).
 * 42: the leave dialogue tells the person his leave set by an admin, and the dialogues' notices skip the
 * private chats of those on leave.
 * 43: routing's confirmation leaves executors on leave out of who gets the card privately.
 * 44: the leave dialogue takes a leave planned ahead, its first and last days («04.05–14.05»).
 * 45: the draft shows the text it starts from as a block to copy, asks whether a text typed over a
 * kept one replaces it or adds to it, and the texts typed before the choice wait together.
 * 46: the official name dialogue («Фамилия Имя Отчество»: /name, and «Указать ФИО» in /people).
 * 47: a link question cancelled hands an answer nobody holds to each of the organization's executors privately.
 * 48: the draft shows the lead organization's own part given before a merge made it the lead.
 * 49: the draft's «Готово» pressed while typed texts wait for «Заменить текст» / «Дописать к тексту» asks for
 * the choice first.
 * 50: a leave set tells a head or a curator what stops for him; the heads told of a significant post hear
 * its routing and whether its answer came late.
 * 51: routing in a group names the curator its menu is for, says where a post routed again is now, and
 * tells a routing by another curator meanwhile plainly.
 * 52: the repeat question after a curator's registration says why each post is offered, and comes without sound.
 */
export const CONVERSATIONS_VERSION = 52;
