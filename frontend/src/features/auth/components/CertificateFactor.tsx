// The second-factor step's «Use my certificate (CN …)»: a password sign-in on the mTLS
// address completed with the client certificate the browser presented.
import { useTranslation } from "react-i18next";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import { errorMessage } from "../../../lib/errors";
import "../../../i18n/sections/certsignin";
import {
  useCertificateSecondFactor,
  usePresentedCertificate,
} from "../api/certificate";

interface CertificateFactorProps {
  challenge: string;
  onDone: () => void;
}

export function CertificateFactor({ challenge, onDone }: CertificateFactorProps) {
  const { t } = useTranslation();
  const info = usePresentedCertificate();
  const complete = useCertificateSecondFactor();
  const cn = info.data?.common_name || info.data?.subject || "";
  return (
    <div style={{ marginBottom: 16 }}>
      {complete.isError && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          message={errorMessage(t, complete.error)}
        />
      )}
      <Button
        type="primary"
        block
        style={{ whiteSpace: "normal", height: "auto", minHeight: 32, paddingBlock: 4 }}
        loading={complete.isPending}
        onClick={() => complete.mutate(challenge, { onSuccess: onDone })}
      >
        {t("login.certificate.use", { cn })}
      </Button>
    </div>
  );
}
