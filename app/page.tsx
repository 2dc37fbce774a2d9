import { Workbench } from "./components/workbench/Workbench";

export default function Page() {
  return <Workbench />;
}
