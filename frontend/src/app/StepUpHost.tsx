// StepUpHost answers the API client's 401 auth.stepUpRequired with the step-up dialog
// (loaded with the auth chunk when first needed): requests refused together share one
// dialog, and each is repeated once the second factor is confirmed.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { setStepUpHandler } from '../api/http';

const StepUpDialog = lazy(async () => ({ default: (await import('../features/auth')).StepUpDialog }));

interface Pending {
  methods: string[];
  settle: (done: boolean) => void;
}

export function StepUpHost() {
  const [pending, setPending] = useState<Pending | null>(null);
  const waiting = useRef<Promise<boolean> | null>(null);
  useEffect(() => {
    setStepUpHandler((methods) => {
      waiting.current ??= new Promise<boolean>((resolve) => {
        setPending({
          methods,
          settle: (done) => {
            waiting.current = null;
            setPending(null);
            resolve(done);
          },
        });
      });
      return waiting.current;
    });
    return () => setStepUpHandler(null);
  }, []);
  if (!pending) return null;
  return (
    <Suspense fallback={null}>
      <StepUpDialog open methods={pending.methods} onDone={() => pending.settle(true)} onCancel={() => pending.settle(false)} />
    </Suspense>
  );
}
