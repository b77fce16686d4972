import { Component, Suspense, type ErrorInfo, type ReactNode } from "react";
import { MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";
import { useMessages } from "../messages";

/** Shown while a step's code downloads: a named spinner, so a screen reader hears why the panel is still empty. */
function StepLoading() {
  const { t } = useMessages();
  return <Spinner size="tiny" labelPosition="after" label={t("app.loadingStep")} />;
}

/** A step whose code could not be downloaded (offline, or the add-in updated meanwhile): said, with the cause. */
function StepLoadFailed({ error }: { error: unknown }) {
  const { t } = useMessages();
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{t("app.loadFailed", { detail })}</MessageBarBody>
    </MessageBar>
  );
}

type BoundaryState = { error: unknown; failed: boolean };

/** React reports a rejected React.lazy load only to an error boundary; without one the whole pane would unmount. */
class StepBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error("Plan Ledger: a step of the pane could not be loaded:", error, info.componentStack);
  }

  override render() {
    return this.state.failed ? <StepLoadFailed error={this.state.error} /> : this.props.children;
  }
}

/**
 * Wraps a step loaded with React.lazy: a spinner while its chunk downloads, a message if the download fails. Keyed by
 * the step where used, so choosing another tab starts afresh.
 */
export function LazyStep({ children }: { children: ReactNode }) {
  return (
    <StepBoundary>
      <Suspense fallback={<StepLoading />}>{children}</Suspense>
    </StepBoundary>
  );
}
