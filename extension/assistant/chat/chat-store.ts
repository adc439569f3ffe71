import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AssistantScope, CitedSource, Conversation, ConversationMessage } from '@shared/schemas/assistant';
import type { TraceStep } from '@shared/serving/types';
import type { EngineChoice } from '@/ai/engines/chooser';
import type { DownloadProgress } from '@/ai/engines/types';
import { feedbackIdOf, saveFeedback } from '@/assistant/feedback/feedback-repository';
import { answerFeedback, type SentPrompt } from '@/assistant/feedback/answer-feedback';
import { answerChat, type ChatDeps } from './chat-answer';
import { deleteConversation, getConversation, listConversations, newId, renameConversation, saveConversation } from './conversations-repository';

/**
 * The chat's state, shared by the popup and the side panel (each page has its own store instance; the
 * persisted conversation is what they share). A question is saved before it is answered, the answer
 * when it ends (done, stopped or failed): closing the popup mid-answer loses only the unfinished part.
 * Every answer also writes its feedback record (unrated) — the prompt/output pair the data loop needs.
 */

/** Kept per message and per feedback record (the schema's bound); longer answers are cut when saved. */
export const MAX_STORED_ANSWER = 64_000;
const MAX_MESSAGES = 200;

export { feedbackIdOf };

function clipAnswer(text: string): string {
  if (text.length <= MAX_STORED_ANSWER) return text;
  const note = '\n\n…(cut here: answers are kept up to 64,000 characters)';
  return text.slice(0, MAX_STORED_ANSWER - note.length) + note;
}

export const useChatStore = defineStore('assistant-chat', () => {
  let deps: ChatDeps | null = null;
  const conversation = shallowRef<Conversation | null>(null);
  const scope = ref<AssistantScope>('memory');
  /** The answer being written: shown live, saved when it ends. */
  const streaming = ref<{ id: string; text: string } | null>(null);
  const liveSources = shallowRef<CitedSource[]>([]);
  const liveChoice = shallowRef<EngineChoice | null>(null);
  const progress = shallowRef<DownloadProgress | null>(null);
  const error = ref<string | null>(null);
  const notice = ref<string | null>(null);
  const conversations = shallowRef<Conversation[]>([]);
  let controller: AbortController | null = null;

  const busy = computed(() => streaming.value !== null);
  const messages = computed<ConversationMessage[]>(() => conversation.value?.messages ?? []);

  function configure(next: ChatDeps) {
    deps = next;
  }

  async function refreshList() {
    conversations.value = await listConversations();
  }

  function startNew() {
    if (busy.value) stop();
    conversation.value = null;
    error.value = null;
    notice.value = null;
  }

  async function open(id: string) {
    if (busy.value) stop();
    const found = await getConversation(id);
    if (!found) {
      error.value = 'That conversation no longer exists.';
      return;
    }
    conversation.value = found;
    scope.value = found.scope;
    error.value = null;
  }

  /** The newest conversation: the side panel opens it, so a chat begun in the popup carries on there. */
  async function openLatest() {
    const [latest] = await listConversations(1);
    if (latest) await open(latest.id);
  }

  async function rename(id: string, title: string) {
    const updated = await renameConversation(id, title);
    if (updated && conversation.value?.id === id) conversation.value = updated;
    await refreshList();
  }

  async function remove(id: string) {
    await deleteConversation(id);
    if (conversation.value?.id === id) conversation.value = null;
    await refreshList();
  }

  function stop() {
    controller?.abort();
  }

  async function persist(next: Conversation) {
    conversation.value = await saveConversation({ ...next, messages: next.messages.slice(-MAX_MESSAGES), updatedAt: Date.now() });
  }

  async function send(text: string): Promise<void> {
    const question = text.trim().slice(0, 4000);
    if (!question || busy.value) return;
    if (!deps) throw new Error('chat store used before configure()');
    const now = Date.now();
    const current: Conversation = conversation.value ?? {
      id: newId('c'),
      title: question.replace(/\s+/g, ' ').slice(0, 80),
      scope: scope.value,
      pageUrl: null,
      messages: [],
      createdAt: now,
      updatedAt: now,
    };
    const history = current.messages.filter((m) => m.content).map((m) => ({ role: m.role, content: m.content }));
    const userMessage: ConversationMessage = { id: newId('m'), role: 'user', content: question, at: now };
    const activeScope = scope.value;
    await persist({ ...current, scope: activeScope, messages: [...current.messages, userMessage] });

    const answerId = newId('m');
    streaming.value = { id: answerId, text: '' };
    liveSources.value = [];
    liveChoice.value = null;
    error.value = null;
    notice.value = null;
    controller = new AbortController();
    let stopped = false;
    let result: Awaited<ReturnType<typeof answerChat>> | null = null;
    // Set from a callback, so held in an object (TypeScript does not see assignments made inside one).
    const sent: { prompt: SentPrompt | null } = { prompt: null };
    // The stages that ended, so a stopped answer's feedback says which one it was cut off in.
    const steps: TraceStep[] = [];
    try {
      result = await answerChat(activeScope, question, history, deps, {
        signal: controller.signal,
        onSources: (s) => (liveSources.value = s),
        onEngine: (c) => (liveChoice.value = c),
        onToken: (t) => {
          if (streaming.value) streaming.value.text += t;
        },
        onProgress: (p) => (progress.value = p),
        onPrompt: (p) => (sent.prompt = p),
        onStep: (step) => steps.push(step),
        onFallback: (e) => {
          if (streaming.value) streaming.value.text = '';
          notice.value = e.message;
        },
      });
    } catch (e) {
      const err = e as { code?: string; message?: string };
      stopped = true;
      if (err.code !== 'aborted') error.value = err.message ?? String(e);
    } finally {
      progress.value = null;
      controller = null;
    }
    const partial = streaming.value?.text ?? '';
    const choice = liveChoice.value as EngineChoice | null;
    const sources = (result?.sources ?? liveSources.value).slice(0, 20);
    const answer: ConversationMessage = {
      id: answerId,
      role: 'assistant',
      content: clipAnswer(result?.answer ?? partial),
      at: Date.now(),
      engine: result?.engine ?? choice?.engine.id ?? 'none',
      ...(result?.model ? { model: result.model.slice(0, 128) } : {}),
      ...(result ? { template: result.template } : {}),
      sources,
      ...(result?.searched ? { searched: result.searched.slice(0, 1000) } : {}),
      ...(stopped ? { stopped: true } : {}),
      ...(result ? { trace: result.trace, verification: result.verification } : {}),
    };
    const base = conversation.value ?? current;
    try {
      // The feedback record first: the answer's thumbs load it as soon as the answer is shown.
      // A stopped answer is recorded too (its partial output, marked stopped) once its prompt was sent.
      const record = answerFeedback({
        subjectId: answerId,
        conversationId: base.id,
        option: activeScope,
        result,
        sent: stopped ? sent.prompt : null,
        steps,
        output: answer.content,
        sources: answer.sources ?? [],
      });
      if (record) await saveFeedback(record);
      await persist({ ...base, pageUrl: base.pageUrl ?? result?.pageUrl ?? null, messages: [...base.messages, answer] });
    } catch (e) {
      error.value = `The answer could not be saved: ${(e as Error).message}`;
    } finally {
      streaming.value = null;
      void refreshList();
    }
  }

  return {
    conversation,
    conversations,
    scope,
    streaming,
    liveSources,
    liveChoice,
    progress,
    error,
    notice,
    busy,
    messages,
    configure,
    send,
    stop,
    startNew,
    open,
    openLatest,
    rename,
    remove,
    refreshList,
  };
});
