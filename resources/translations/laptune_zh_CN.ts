<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <location filename="../../gui/qt_text.py" line="61"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="62"/>
        <source>VRAM</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="62"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="79"/>
        <source>On battery: keep the charger connected; a laptop on battery throttles and may shut down</source>
        <translation>正在使用电池：请连接充电器；笔记本用电池时会降频，甚至可能关机</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="87"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: paused</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="89"/>
        <source>; resumes below {resume} {unit}</source>
        <translation>；降到 {resume} {unit} 以下时继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="93"/>
        <source>{label} back to {value} {unit} &lt; {limit} {unit}: resumed</source>
        <translation>{label} 已回到 {value} {unit} &lt; {limit} {unit}：已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="97"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: critical; saving a checkpoint and stopping</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：危险；正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="101"/>
        <source>Battery {value} % &lt; {limit} %: saving a checkpoint and stopping</source>
        <translation>电池 {value} % &lt; {limit} %：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="103"/>
        <source>Paused for {value} min (maximum {limit} min): saving a checkpoint and stopping</source>
        <translation>已暂停 {value} 分钟（上限 {limit} 分钟）：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="106"/>
        <source>Swap use grew by {value} MiB: memory pressure; close other programs or lower the batch size</source>
        <translation>交换空间增加了 {value} MiB：内存紧张；请关闭其他程序或减小批大小</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="118"/>
        <source>Step {step}: training loss {loss:.4f}</source>
        <translation>第 {step} 步：训练损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="120"/>
        <source>Evaluation at step {step}: {metrics}</source>
        <translation>第 {step} 步评估：{metrics}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="122"/>
        <source>Sample output: {text}</source>
        <translation>生成示例：{text}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="124"/>
        <source>Guard paused the run</source>
        <translation>守护已暂停训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="124"/>
        <source>Guard resumed the run</source>
        <translation>守护已恢复训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="125"/>
        <source>Guard stopped the run</source>
        <translation>守护已停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="125"/>
        <source>Guard warning</source>
        <translation>守护警告</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="125"/>
        <source>Guard</source>
        <translation>守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="128"/>
        <source>Checkpoint saved at step {step}: {path}</source>
        <translation>第 {step} 步已保存检查点：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="130"/>
        <source>Out of memory: continuing with smaller settings</source>
        <translation>内存不足：改用更小的设置继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="131"/>
        <source>Out of memory during evaluation: continuing with smaller settings</source>
        <translation>评估时内存不足：改用更小的设置继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="132"/>
        <source>The loss became invalid (NaN): rolled back</source>
        <translation>损失变为无效值（NaN）：已回滚</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="133"/>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="133"/>
        <source>Probe: the micro-batch was changed to fit</source>
        <translation>试探：已调整微批大小以放入内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="142"/>
        <source>training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="142"/>
        <source>stopped by the user</source>
        <translation>由你停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="143"/>
        <source>paused by the user</source>
        <translation>由你暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="143"/>
        <source>interrupted</source>
        <translation>被中断</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="152"/>
        <source>Training started</source>
        <translation>训练已开始</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="152"/>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="152"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="152"/>
        <source>Resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="153"/>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="153"/>
        <source>Stopped (a checkpoint was saved)</source>
        <translation>已停止（已保存检查点）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="153"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="154"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="154"/>
        <source>Probing memory</source>
        <translation>正在试探内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="159"/>
        <source>Run folder: {path}</source>
        <translation>运行文件夹：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="166"/>
        <source>The settings have a problem</source>
        <translation>设置有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="166"/>
        <source>Correct the setting named above in the wizard, then start again.</source>
        <translation>请在向导中修改上面指出的设置，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="167"/>
        <source>The data file has a problem</source>
        <translation>数据文件有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="167"/>
        <source>Fix the file at the line shown, or choose another file in the wizard.</source>
        <translation>请修改文件中指出的那一行，或在向导中选择其他文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="168"/>
        <source>The model could not be loaded</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="168"/>
        <source>Check the model id or folder on the wizard&apos;s Task and model page.</source>
        <translation>请在向导的“任务和模型”页检查模型 ID 或文件夹。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="169"/>
        <source>The run folder has a problem</source>
        <translation>运行文件夹有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="169"/>
        <source>Free disk space or choose another folder, then start again.</source>
        <translation>请释放磁盘空间或选择其他文件夹，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="170"/>
        <source>The run cannot start with these settings</source>
        <translation>使用这些设置无法开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="170"/>
        <source>Change the settings as suggested, then start again.</source>
        <translation>请按建议修改设置，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="171"/>
        <source>The sensor trace has a problem</source>
        <translation>传感器回放文件有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="171"/>
        <source>Fix the trace file at the line shown.</source>
        <translation>请修改回放文件中指出的那一行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="172"/>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="172"/>
        <source>Use Auto-fit in the wizard, or a smaller model or batch.</source>
        <translation>请在向导中使用“自动适配”，或换用更小的模型或批大小。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="174"/>
        <source>Training stopped because of an error</source>
        <translation>训练因错误而停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="175"/>
        <source>Try again; if it happens again, send us the log file named below.</source>
        <translation>请重试；如果再次出现，请把下面的日志文件发给我们。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="27"/>
        <source>Runs (double-click to show):</source>
        <translation>训练记录（双击查看）：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="36"/>
        <location filename="../../gui/qt_layout.py" line="88"/>
        <source>New run...</source>
        <translation>新建训练...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="36"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="36"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="37"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="37"/>
        <source>Stop (save first)</source>
        <translation>停止（先保存）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="38"/>
        <location filename="../../gui/qt_layout.py" line="88"/>
        <source>Resume from checkpoint...</source>
        <translation>从检查点继续...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="38"/>
        <location filename="../../gui/qt_layout.py" line="89"/>
        <source>Open run...</source>
        <translation>打开训练...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="39"/>
        <source>Choose a preset, data and settings in the wizard</source>
        <translation>在向导中选择预设、数据和设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="40"/>
        <source>Start the run set up in the wizard again, as a new run</source>
        <translation>把向导中设置好的训练作为新训练再运行一次</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="41"/>
        <source>Pause after the current step; the GPU cools down and memory is freed</source>
        <translation>在当前步骤结束后暂停；GPU 降温并释放内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="42"/>
        <source>Continue a paused run</source>
        <translation>继续已暂停的训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="43"/>
        <source>Save a checkpoint, then stop; the run can be resumed later</source>
        <translation>先保存检查点再停止；之后可以继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="44"/>
        <source>Continue a stopped run from one of its checkpoints</source>
        <translation>从某个检查点继续已停止的训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="45"/>
        <source>Show the plots of a past run</source>
        <translation>查看以前训练的曲线</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="71"/>
        <source>Loading plots...</source>
        <translation>正在加载曲线...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="84"/>
        <source>Ready. Click New run... to choose what to train, or open a past run.</source>
        <translation>就绪。点击“新建训练...”选择要训练的内容，或打开以前的训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="87"/>
        <source>&amp;Run</source>
        <translation>训练(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="89"/>
        <source>Refresh run history</source>
        <translation>刷新训练记录</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="94"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="97"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="106"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="107"/>
        <source>Where is the log file?</source>
        <translation>日志文件在哪里？</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="51"/>
        <source>Model {model} is in the cache ({size}).</source>
        <translation>模型 {model} 已在缓存中（{size}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="53"/>
        <source>Download cancelled; it continues where it stopped next time.</source>
        <translation>下载已取消；下次会从中断处继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="55"/>
        <source>Download failed: {why}</source>
        <translation>下载失败：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="58"/>
        <source>Downloading {model} from {source}: {pct:.0f}% ({done} of {total}), {speed}, {eta} left</source>
        <translation>正在从 {source} 下载 {model}：{pct:.0f}%（{done} / {total}），{speed}，剩余 {eta}</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="270"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="271"/>
        <source>Training and evaluation files, checked before anything starts.</source>
        <translation>训练和评估文件，在开始之前先检查。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="278"/>
        <source>optional: a share of the training data is held out</source>
        <translation>可选：不填则从训练数据中留出一部分</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="279"/>
        <source>Training file</source>
        <translation>训练文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="279"/>
        <source>Evaluation file</source>
        <translation>评估文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="282"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="286"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="294"/>
        <source>Save an example file...</source>
        <translation>保存示例文件...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="296"/>
        <source>Write a small valid file for this task, to see the shape your data should have.</source>
        <translation>为当前任务写出一个小而正确的数据文件，让您看到数据应有的格式。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="313"/>
        <source>Problems found:</source>
        <translation>发现的问题：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="348"/>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="349"/>
        <source>Data (*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow);;All files (*)</source>
        <translation>数据 (*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="354"/>
        <source>Data folder (datasets save_to_disk, or one sub-folder per class)</source>
        <translation>数据文件夹（datasets 的 save_to_disk 目录，或每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="365"/>
        <source>Save an example file</source>
        <translation>保存示例文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="366"/>
        <source>Data (*.csv *.tsv *.jsonl *.json *.txt *.xlsx);;All files (*)</source>
        <translation>数据 (*.csv *.tsv *.jsonl *.json *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="370"/>
        <source>Wrote {file}: open it to see the shape, or train on it as a try.</source>
        <translation>已写入 {file}：打开它查看格式，或直接用它试着训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="441"/>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="441"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="402"/>
        <source>{file}: {n} examples ({format}, {encoding})</source>
        <translation>{file}：{n} 个样本（{format}，{encoding}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="407"/>
        <source>Labels: {labels}</source>
        <translation>标签：{labels}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="413"/>
        <source>Choose a training file.</source>
        <translation>请选择训练文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="415"/>
        <source>No problems found.</source>
        <translation>没有发现问题。</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="23"/>
        <source>What to do: {fix}</source>
        <translation>怎么办：{fix}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="25"/>
        <source>Details for a bug report are in {path}</source>
        <translation>用于报告问题的详细信息在 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="35"/>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="36"/>
        <source>A run is in progress. Closing never interrupts a training step.</source>
        <translation>训练正在进行。关闭窗口不会打断正在进行的训练步骤。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="39"/>
        <source>Save a checkpoint and stop</source>
        <translation>保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="40"/>
        <source>Keep training in the background</source>
        <translation>在后台继续训练</translation>
    </message>
</context>
<context>
    <name>DownloadPanel</name>
    <message>
        <location filename="../../gui/qt_download.py" line="89"/>
        <source>Get models from</source>
        <translation>模型来源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="94"/>
        <source>In mainland China huggingface.co is often unreachable: choose hf-mirror.com or ModelScope. The choice is remembered.</source>
        <translation>在中国大陆常常无法访问 huggingface.co：请选择 hf-mirror.com 或 ModelScope（魔搭）。选择会被记住。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="108"/>
        <source>Download now</source>
        <translation>立即下载</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="110"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="171"/>
        <location filename="../../gui/qt_download.py" line="195"/>
        <location filename="../../gui/qt_download.py" line="258"/>
        <source>In cache: {path}</source>
        <translation>已在缓存中：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="173"/>
        <source>Not in the cache; asking {source} for its size...</source>
        <translation>不在缓存中；正在向 {source} 查询大小……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="191"/>
        <source>Cannot get its size: {why}</source>
        <translation>无法获取大小：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="197"/>
        <source>To download: {size} from {source}</source>
        <translation>需要下载：{size}，来源 {source}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="199"/>
        <source>(continues an earlier download of {total})</source>
        <translation>（继续之前未完成的下载，共 {total}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="219"/>
        <source>Starting the download from {source}...</source>
        <translation>正在开始从 {source} 下载……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="239"/>
        <source>Cancelling...</source>
        <translation>正在取消……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="253"/>
        <source>Download cancelled; it continues where it stopped next time.</source>
        <translation>下载已取消；下次会从中断处继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="267"/>
        <source>Download failed: {why}</source>
        <translation>下载失败：{why}</translation>
    </message>
</context>
<context>
    <name>GuardPage</name>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="342"/>
        <source>Guard</source>
        <translation>守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="343"/>
        <source>When to pause, resume or save and stop, so the laptop survives the run.</source>
        <translation>何时暂停、继续或保存并停止，让笔记本安全跑完训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="364"/>
        <source>Guard on</source>
        <translation>启用守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="364"/>
        <source>Watches the sensors and pauses or stops before the hardware suffers.</source>
        <translation>监视传感器，在硬件受损之前暂停或停止。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="365"/>
        <source>Pause at GPU °C</source>
        <translation>GPU 达到此温度暂停 (°C)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="365"/>
        <source>Laptop GPUs throttle in the high 80s; pausing lets the fans catch up.</source>
        <translation>笔记本 GPU 在 85 °C 以上会降频；暂停能让风扇把温度降下来。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="366"/>
        <source>Resume below GPU °C</source>
        <translation>GPU 低于此温度继续 (°C)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="366"/>
        <source>Well below the pause point, so the run does not pause and resume in a loop.</source>
        <translation>要明显低于暂停温度，避免反复暂停和继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="367"/>
        <source>Save and stop at GPU °C</source>
        <translation>GPU 达到此温度保存并停止 (°C)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="367"/>
        <source>Near the shutdown limit: save the work before the laptop switches off.</source>
        <translation>接近关机温度：在笔记本关机前保存进度。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="368"/>
        <source>Pause at VRAM share</source>
        <translation>显存占用达到此比例暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="368"/>
        <source>Above this share another program may push training into out-of-memory (0.95 = 95 %).</source>
        <translation>超过这个比例时，其他程序可能让训练内存不足（0.95 = 95 %）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="369"/>
        <source>Resume below VRAM share</source>
        <translation>显存占用低于此比例继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="369"/>
        <source>Resume once the other program has let go of its memory.</source>
        <translation>等其他程序释放显存后继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="370"/>
        <source>Pause at RAM share</source>
        <translation>内存占用达到此比例暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="370"/>
        <source>A full RAM makes the system swap, and everything slows to a crawl.</source>
        <translation>内存占满会让系统使用交换空间，一切都会变得极慢。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="371"/>
        <source>Resume below RAM share</source>
        <translation>内存占用低于此比例继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="371"/>
        <source>Resume when memory has been freed.</source>
        <translation>内存释放后继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="372"/>
        <source>Save and stop at RAM share</source>
        <translation>内存占用达到此比例保存并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="372"/>
        <source>Just before the system would kill the process for lack of memory.</source>
        <translation>在系统因内存不足而杀掉进程之前。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="373"/>
        <source>Save and stop below battery %</source>
        <translation>电池低于此电量保存并停止 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="373"/>
        <source>On battery, save the work before the laptop runs flat.</source>
        <translation>使用电池时，在电量耗尽前保存进度。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="374"/>
        <source>Warn when unplugged</source>
        <translation>拔掉电源时警告</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="374"/>
        <source>A laptop on battery throttles its GPU, and the run slows down.</source>
        <translation>笔记本用电池时会给 GPU 降频，训练会变慢。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="375"/>
        <source>Longest pause (minutes)</source>
        <translation>最长暂停时间（分钟）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="375"/>
        <source>A pause this long means something is wrong: save and stop instead of waiting for ever.</source>
        <translation>暂停这么久说明出了问题：保存并停止，而不是一直等待。</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="70"/>
        <source>Your hardware</source>
        <translation>你的硬件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="71"/>
        <source>What LapTune found, and which GPU it will train on.</source>
        <translation>LapTune 检测到的硬件，以及将用哪块 GPU 训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="89"/>
        <source>Training will run on: {device}</source>
        <translation>训练将在此运行：{device}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="90"/>
        <source>the CPU (no NVIDIA GPU found)</source>
        <translation>CPU（未找到 NVIDIA GPU）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="91"/>
        <source>Tier: {tier} — {reason}</source>
        <translation>档位：{tier} — {reason}</translation>
    </message>
</context>
<context>
    <name>HardwarePanel</name>
    <message>
        <location filename="../../gui/qt_hardware.py" line="84"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="87"/>
        <source>detecting...</source>
        <translation>正在检测...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="95"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="96"/>
        <source>VRAM</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="97"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="98"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="99"/>
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="100"/>
        <source>Other GPU users</source>
        <translation>其他占用 GPU 的程序</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="110"/>
        <source> (simulated)</source>
        <translation>（模拟）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="112"/>
        <source>none: training runs on the CPU</source>
        <translation>无：训练在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="113"/>
        <location filename="../../gui/qt_hardware.py" line="121"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="123"/>
        <location filename="../../gui/qt_hardware.py" line="148"/>
        <source>GPU {t} °C</source>
        <translation>GPU {t} °C</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="125"/>
        <source>{used} of {total} GiB used</source>
        <translation>已用 {used} / {total} GiB</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="131"/>
        <source>mains (no battery)</source>
        <translation>外接电源（无电池）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="139"/>
        <source>{used} of {total} GiB used ({pct} %)</source>
        <translation>已用 {used} / {total} GiB（{pct} %）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="143"/>
        <location filename="../../gui/qt_hardware.py" line="156"/>
        <source>{pct} % used</source>
        <translation>已用 {pct} %</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="145"/>
        <source>no GPU</source>
        <translation>无 GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="150"/>
        <source>CPU {t} °C</source>
        <translation>CPU {t} °C</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="154"/>
        <source>no sensor readable</source>
        <translation>无法读取传感器</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="161"/>
        <source>on AC</source>
        <translation>接通电源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="161"/>
        <source>on battery</source>
        <translation>使用电池</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="161"/>
        <source>source unknown</source>
        <translation>电源未知</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="162"/>
        <source>battery {pct} %, {where}</source>
        <translation>电池 {pct} %，{where}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/app.py" line="117"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../gui/app.py" line="118"/>
        <source>The new language applies when the current run ends and LapTune is started again.</source>
        <translation>新语言将在当前训练结束并重新启动 LapTune 后生效。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="45"/>
        <source>LapTune</source>
        <translation>LapTune</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="93"/>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="93"/>
        <source>Errors are written to {path}</source>
        <translation>错误信息写在 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="220"/>
        <source>Starting {preset}: {command}</source>
        <translation>正在启动 {preset}：{command}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="236"/>
        <source>Resuming {run} from checkpoint {step}</source>
        <translation>从检查点 {step} 继续 {run}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="242"/>
        <source>Starting: loading the model and the data...</source>
        <translation>正在启动：加载模型和数据...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="251"/>
        <source>Pausing after the current step...</source>
        <translation>当前步骤结束后暂停...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="258"/>
        <source>Resuming...</source>
        <translation>正在继续...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="265"/>
        <source>Stopping: saving a checkpoint after the current step...</source>
        <translation>正在停止：当前步骤结束后保存检查点...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="275"/>
        <source>No runs yet</source>
        <translation>还没有训练记录</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="275"/>
        <source>There is no run with a checkpoint to resume.</source>
        <translation>没有带检查点、可以继续的训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="297"/>
        <source>Open a run folder</source>
        <translation>打开训练文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="311"/>
        <source>Cannot open the run</source>
        <translation>无法打开该训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="322"/>
        <source>Showing run {name}: {status}, step {step}</source>
        <translation>正在显示训练 {name}：{status}，第 {step} 步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="324"/>
        <source>Opened {path} ({n} events)</source>
        <translation>已打开 {path}（{n} 条事件）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="358"/>
        <location filename="../../gui/qt_main.py" line="390"/>
        <source>Training: step {step}/{total}</source>
        <translation>训练中：第 {step}/{total} 步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="360"/>
        <source>loss {loss:.4f}</source>
        <translation>损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="362"/>
        <source>about {left} left</source>
        <translation>约剩 {left}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="370"/>
        <location filename="../../gui/qt_main.py" line="395"/>
        <source>Paused by the guard: {why}</source>
        <translation>守护已暂停：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="371"/>
        <location filename="../../gui/qt_main.py" line="398"/>
        <source>LapTune paused training</source>
        <translation>LapTune 已暂停训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="374"/>
        <source>Resumed by the guard: {why}</source>
        <translation>守护已继续：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="376"/>
        <source>Stopping (guard): {why}</source>
        <translation>正在停止（守护）：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="377"/>
        <source>LapTune is stopping training</source>
        <translation>LapTune 正在停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="379"/>
        <source>Warning: {why}</source>
        <translation>警告：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="397"/>
        <source>Paused at step {step}. Click Resume to continue.</source>
        <translation>已在第 {step} 步暂停。点击“继续”恢复训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="398"/>
        <source>Paused at step {step}</source>
        <translation>已在第 {step} 步暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="400"/>
        <source>Probe first: measuring memory and speed with a few steps...</source>
        <translation>先试探：用几步训练测量内存和速度...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="405"/>
        <source>Training resumed at step {step}</source>
        <translation>训练已在第 {step} 步继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="412"/>
        <source>Finished at step {step} in {time}.</source>
        <translation>已在第 {step} 步完成，用时 {time}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="414"/>
        <source>LapTune finished training</source>
        <translation>LapTune 已完成训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="416"/>
        <source>Stopped at step {step}; a checkpoint was saved. Resume from checkpoint... continues it.</source>
        <translation>已在第 {step} 步停止并保存了检查点。用“从检查点继续...”可以接着训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="418"/>
        <source>LapTune stopped training</source>
        <translation>LapTune 已停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="420"/>
        <source>Best evaluation: {metrics}.</source>
        <translation>最佳评估：{metrics}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="427"/>
        <source>The run failed: {message}</source>
        <translation>训练失败：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="428"/>
        <source>Failed: {message}</source>
        <translation>失败：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="429"/>
        <source>LapTune: the run failed</source>
        <translation>LapTune：训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="451"/>
        <source>Stopping: saving a checkpoint; LapTune closes when it is saved.</source>
        <translation>正在停止：保存检查点；保存后 LapTune 将关闭。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="457"/>
        <source>LapTune keeps training</source>
        <translation>LapTune 继续训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="457"/>
        <source>Training goes on in the background.</source>
        <translation>训练在后台继续进行。</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <location filename="../../gui/qt_plots.py" line="79"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="79"/>
        <location filename="../../gui/qt_plots.py" line="80"/>
        <location filename="../../gui/qt_plots.py" line="93"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="79"/>
        <source>Eval metrics</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="80"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="80"/>
        <source>VRAM used (%)</source>
        <translation>显存占用 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="80"/>
        <location filename="../../gui/qt_plots.py" line="81"/>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="81"/>
        <source>Temperature (°C)</source>
        <translation>温度 (°C)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="81"/>
        <source>RAM used (%)</source>
        <translation>内存占用 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="82"/>
        <source>Dashed orange line: the run was paused here (by the guard or by you).
Right-click: save this plot as PNG or the run&apos;s metrics as CSV.</source>
        <translation>橙色虚线：训练在此处暂停（由守护或由你）。
右键：把此图另存为 PNG，或把本次训练的指标另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="84"/>
        <source>Orange shading: the run was paused (by the guard or by you).
Horizontal lines: the guard&apos;s thresholds (pause, resume, stop). For VRAM the guard
leaves out what this run keeps cached for its own reuse, so &apos;all programs&apos; may sit
above the pause line without a pause.
Right-click: save this plot as PNG or the run&apos;s metrics as CSV.</source>
        <translation>橙色阴影：训练处于暂停（由守护或由你）。
水平线：守护的阈值（暂停、继续、停止）。对显存，守护不计本次训练为自己复用而缓存的部分，
所以“所有程序”的曲线可能高于暂停线而不暂停。
右键：把此图另存为 PNG，或把本次训练的指标另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="115"/>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="116"/>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="117"/>
        <source>eval loss</source>
        <translation>评估损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="119"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="120"/>
        <source>all programs</source>
        <translation>所有程序</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="121"/>
        <source>this run</source>
        <translation>本次训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="122"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="123"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="124"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="153"/>
        <source>Save this plot as PNG...</source>
        <translation>将此图保存为 PNG...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="156"/>
        <source>Save the run&apos;s metrics as CSV...</source>
        <translation>将训练指标保存为 CSV...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="170"/>
        <location filename="../../gui/qt_plots.py" line="172"/>
        <location filename="../../gui/qt_plots.py" line="175"/>
        <source>pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="171"/>
        <location filename="../../gui/qt_plots.py" line="173"/>
        <source>resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="174"/>
        <location filename="../../gui/qt_plots.py" line="176"/>
        <source>stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="279"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="372"/>
        <source>Save plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="377"/>
        <source>Save metrics</source>
        <translation>保存指标</translation>
    </message>
</context>
<context>
    <name>PresetWizard</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="475"/>
        <source>New run</source>
        <translation>新建训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="504"/>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="505"/>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="506"/>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="507"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <location filename="../../gui/qt_resume.py" line="20"/>
        <source>Resume from a checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="23"/>
        <source>Run:</source>
        <translation>训练：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="35"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="35"/>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="35"/>
        <source>Eval metric</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="35"/>
        <source>Best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="41"/>
        <source>The best checkpoint by the evaluation metric is marked ★; the last one is not always the best.</source>
        <translation>按评估指标最好的检查点标有 ★；最后一个不一定是最好的。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="45"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="69"/>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="403"/>
        <source>Review</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="404"/>
        <source>What will run. Start training runs exactly this.</source>
        <translation>将要运行的内容。“开始训练”会完全按此运行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="411"/>
        <location filename="../../gui/qt_wizard_settings.py" line="438"/>
        <source>Show all settings</source>
        <translation>显示全部设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="422"/>
        <source>The same run from a terminal:</source>
        <translation>在终端中运行同样的训练：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="429"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="438"/>
        <source>Hide all settings</source>
        <translation>隐藏全部设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="472"/>
        <source>a folder on this computer</source>
        <translation>本机上的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="473"/>
        <source>in the local cache</source>
        <translation>本地缓存中</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="474"/>
        <source>from the Hugging Face hub when training starts (needs internet, or a mirror)</source>
        <translation>训练开始时从 Hugging Face Hub 下载（需要联网或镜像）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="475"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="476"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="481"/>
        <source>{n} examples ({shape})</source>
        <translation>{n} 条样本（{shape}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="482"/>
        <source>evaluation: {file}</source>
        <translation>评估：{file}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="483"/>
        <source>evaluation: {pct} % held out</source>
        <translation>评估：留出 {pct} %</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="484"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="486"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="486"/>
        <source>{epochs:g} epochs, effective batch {eff} ({b} × {acc} accumulation)</source>
        <translation>{epochs:g} 轮，有效批大小 {eff}（{b} × {acc} 累积）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="491"/>
        <location filename="../../gui/qt_wizard_settings.py" line="494"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="492"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="494"/>
        <source>estimate unavailable: {error}</source>
        <translation>无法估算：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="496"/>
        <source>on: pause at GPU {t} °C, RAM {ram} %, VRAM {vram} %; save and stop at battery {bat} %</source>
        <translation>开启：GPU {t} °C、内存 {ram} %、显存 {vram} % 时暂停；电量低于 {bat} % 时保存并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="498"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="499"/>
        <source>Guard</source>
        <translation>守护</translation>
    </message>
</context>
<context>
    <name>RunsView</name>
    <message>
        <location filename="../../gui/qt_runs.py" line="65"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="65"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="65"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="65"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="65"/>
        <source>Best metric</source>
        <translation>最佳指标</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="72"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="72"/>
        <source>stopped (resumable)</source>
        <translation>已停止（可继续）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="72"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/qt_runs.py" line="73"/>
        <source>running or interrupted</source>
        <translation>运行中或被中断</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="97"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="98"/>
        <source>The preset&apos;s values; change any. The bar shows the estimated peak memory.</source>
        <translation>预设的取值，都可以修改。进度条显示估计的内存峰值。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="111"/>
        <source>Auto-fit</source>
        <translation>自动适配</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="113"/>
        <source>Choose the fastest settings whose estimated memory fits this machine</source>
        <translation>选择估计内存能放进这台机器的最快设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="116"/>
        <source>Probe first: run a few steps to measure memory and speed before the run</source>
        <translation>先试探：正式训练前先跑几步，测量内存和速度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="138"/>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="138"/>
        <source>Passes over the training data.</source>
        <translation>遍历训练数据的次数。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="139"/>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="139"/>
        <source>Stop after this many optimizer steps; &apos;auto&apos; runs all epochs.</source>
        <translation>优化器走完这么多步后停止；“auto”表示跑完所有轮。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="140"/>
        <source>Micro-batch</source>
        <translation>微批大小</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="140"/>
        <source>Samples per forward pass. Memory: up, roughly linearly.</source>
        <translation>每次前向传播的样本数。内存：增加，大致线性。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="141"/>
        <source>Accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="141"/>
        <source>Micro-batches per optimizer step; the effective batch is micro-batch × accumulation. Memory: none.</source>
        <translation>每个优化步累积的微批数；有效批大小 = 微批 × 累积。内存：不变。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="142"/>
        <source>Max sequence length</source>
        <translation>最大序列长度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="142"/>
        <source>Tokens per sample; longer samples are cut. Memory: up, linear to quadratic.</source>
        <translation>每个样本的词元数，更长的会被截断。内存：增加，线性到平方。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="143"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="143"/>
        <source>Step size of the optimizer.</source>
        <translation>优化器的步长。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="144"/>
        <source>Head/CRF learning rate</source>
        <translation>任务头/CRF 学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="144"/>
        <source>A separate, usually larger, learning rate for the task head and CRF.</source>
        <translation>任务头和 CRF 单独使用的学习率，通常更大。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="145"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="145"/>
        <source>adamw keeps two fp32 states per trainable weight; 8-bit keeps two bytes; sgd none. Memory: adamw &gt; 8-bit &gt; adafactor &gt; sgd.</source>
        <translation>adamw 为每个可训练权重保存两个 fp32 状态；8-bit 保存两个字节；sgd 不保存。内存：adamw &gt; 8-bit &gt; adafactor &gt; sgd。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="146"/>
        <source>Evaluate every</source>
        <translation>评估间隔</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="146"/>
        <source>Steps between evaluations; &apos;auto&apos; evaluates once per epoch.</source>
        <translation>两次评估之间的步数；“auto”表示每轮评估一次。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="147"/>
        <source>Save every</source>
        <translation>保存间隔</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="147"/>
        <source>Steps between checkpoints; &apos;auto&apos; saves once per epoch.</source>
        <translation>两个检查点之间的步数；“auto”表示每轮保存一次。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="148"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="148"/>
        <source>fp16/bf16 halve activation memory on a GPU; the CPU trains in fp32.</source>
        <translation>fp16/bf16 在 GPU 上让激活内存减半；CPU 用 fp32 训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="149"/>
        <source>Gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="149"/>
        <source>Recompute activations in the backward pass. Memory: down 30-50 %; time: up 20-30 %.</source>
        <translation>反向传播时重新计算激活。内存：减少 30-50 %；时间：增加 20-30 %。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="150"/>
        <source>Frozen layers</source>
        <translation>冻结层数</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="150"/>
        <source>Freeze the embeddings and the first N layers. Memory: down (no gradients or optimizer state for them).</source>
        <translation>冻结嵌入层和前 N 层。内存：减少（这些层没有梯度和优化器状态）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="151"/>
        <source>4-bit weights (QLoRA)</source>
        <translation>4 位权重 (QLoRA)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="151"/>
        <source>NF4 weights through bitsandbytes, CUDA only. Memory: down about 4x for the weights.</source>
        <translation>通过 bitsandbytes 使用 NF4 权重，仅限 CUDA。内存：权重约减少到 1/4。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="152"/>
        <source>LoRA adapters</source>
        <translation>LoRA 适配器</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="152"/>
        <source>Train small adapters instead of all weights. Memory: down.</source>
        <translation>只训练小的适配器而不是全部权重。内存：减少。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="153"/>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="153"/>
        <source>Adapter size. Memory: up, slightly.</source>
        <translation>适配器大小。内存：略有增加。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="192"/>
        <source>of available RAM</source>
        <translation>（可用内存）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="193"/>
        <source>of {gpu}&apos;s memory</source>
        <translation>（{gpu} 显存）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="198"/>
        <source>estimate unavailable: the settings are invalid</source>
        <translation>无法估计：设置无效</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="203"/>
        <location filename="../../gui/qt_wizard_settings.py" line="209"/>
        <source>estimate unavailable</source>
        <translation>无法估计</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="214"/>
        <source>Estimated peak {peak} {where} ({total}): {pct} %</source>
        <translation>估计峰值 {peak} {where}（共 {total}）：{pct} %</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="240"/>
        <source>{steps} optimizer steps (max steps)</source>
        <translation>{steps} 个优化步（最大步数）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="243"/>
        <source>about {steps} optimizer steps ({epochs:g} epochs × {n} examples ÷ effective batch {b})</source>
        <translation>约 {steps} 个优化步（{epochs:g} 轮 × {n} 个样本 ÷ 有效批大小 {b}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="246"/>
        <source>unknown number of steps</source>
        <translation>步数未知</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="248"/>
        <source>Estimated time: {rough}{how}.</source>
        <translation>估计时间：{rough}{how}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="274"/>
        <source>No time estimate: {error}</source>
        <translation>无法估计时间：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="277"/>
        <source>{t} per epoch</source>
        <translation>每轮 {t}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="279"/>
        <source>{t} in all</source>
        <translation>共 {t}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="281"/>
        <source>about {t} s per optimizer step</source>
        <translation>每个优化步约 {t} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="282"/>
        <source>{parts} (rough; tick &apos;probe first&apos; to measure); </source>
        <translation>{parts}（粗略估计；勾选“先试探”可实测）；</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="283"/>
        <source>{flops:.3g} TFLOP per optimizer step ({tokens} tokens, counted at max sequence length) ÷ {rate:.3g} TFLOPS effective + {overhead:g} s fixed cost per micro-batch = {sec:.3g} s per step.
{source}</source>
        <translation>{flops:.3g} TFLOP 每优化步（{tokens} 个词元，按最大序列长度计）÷ 有效算力 {rate:.3g} TFLOPS + 每个微批固定开销 {overhead:g} 秒 = 每步 {sec:.3g} 秒。
{source}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="296"/>
        <source>Fix the settings first.</source>
        <translation>请先修正设置。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="301"/>
        <source>Auto-fit is unavailable in this version.</source>
        <translation>此版本不支持自动适配。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="306"/>
        <source>Auto-fit could not estimate this model: {error}</source>
        <translation>自动适配无法估计这个模型：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="314"/>
        <source>No changes: the settings already fit.</source>
        <translation>无需修改：当前设置已经能放下。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="316"/>
        <source>Even the smallest settings do not fit. What would fit:</source>
        <translation>即使最小的设置也放不下。可以这样做：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="329"/>
        <source>under a minute</source>
        <translation>不到一分钟</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="331"/>
        <source>about {n} min</source>
        <translation>约 {n} 分钟</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="332"/>
        <source>about {n} h</source>
        <translation>约 {n} 小时</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <location filename="../../gui/qt_data_start.py" line="35"/>
        <source>Your data</source>
        <translation>您的数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="36"/>
        <source>Choose the file or folder to train on, or drop it here. LapTune reads it, recognises the task and picks the preset for this computer.</source>
        <translation>选择要训练的文件或文件夹，或把它拖到这里。LapTune 会读取它、识别任务，并为这台电脑选好预设。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="40"/>
        <source>Drop a data file or folder here</source>
        <translation>把数据文件或文件夹拖到这里</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="48"/>
        <source>Choose data file...</source>
        <translation>选择数据文件...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="52"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="65"/>
        <source>Recognised</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="68"/>
        <source>Text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="68"/>
        <source>Named entities (NER)</source>
        <translation>命名实体识别（NER）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="69"/>
        <source>Chat fine-tuning (SFT)</source>
        <translation>对话微调（SFT）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="72"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="75"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="85"/>
        <source>Customise: go through hardware, model, data, settings and guard pages</source>
        <translation>自定义：逐页查看硬件、模型、数据、设置和守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="111"/>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="112"/>
        <source>Data ({patterns});;All files (*)</source>
        <translation>数据 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="118"/>
        <source>Data folder (datasets save_to_disk, or one sub-folder per class)</source>
        <translation>数据文件夹（datasets 的 save_to_disk 目录，或每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="147"/>
        <source>sure</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="147"/>
        <source>likely</source>
        <translation>很可能</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="147"/>
        <source>unsure</source>
        <translation>不确定</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="148"/>
        <source>{what} ({sure}: {pct} of the sampled records fit)</source>
        <translation>{what}（{sure}：抽样记录中 {pct} 符合）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="150"/>
        <source>not recognised: {why}</source>
        <translation>无法识别：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="170"/>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="189"/>
        <source>Recommended for this computer: {reason}</source>
        <translation>为这台电脑推荐：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="194"/>
        <source>Does not fit this machine: {why}</source>
        <translation>不适合这台机器：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="195"/>
        <source>Fits this machine ({needs}).</source>
        <translation>适合这台机器（{needs}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="213"/>
        <source>{file}: {n} examples ({format}, {encoding})</source>
        <translation>{file}：{n} 条样本（{format}，{encoding}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="218"/>
        <source>Labels: {labels}</source>
        <translation>标签：{labels}</translation>
    </message>
</context>
<context>
    <name>TaskModelPage</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="102"/>
        <source>Task and model</source>
        <translation>任务和模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="103"/>
        <source>Choose what to train; the preset that fits your hardware is pre-selected.</source>
        <translation>选择要训练的内容；已预先选好适合你硬件的预设。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="108"/>
        <source>Text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="108"/>
        <source>Named entities (NER)</source>
        <translation>命名实体识别 (NER)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="109"/>
        <source>Chat fine-tuning (SFT)</source>
        <translation>对话微调 (SFT)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="112"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="115"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="122"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="127"/>
        <source>Model (hub id or folder)</source>
        <translation>模型（Hub ID 或文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="136"/>
        <source>Trust the model&apos;s own code (trust_remote_code)</source>
        <translation>信任模型自带的代码 (trust_remote_code)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="139"/>
        <source>Warning: this runs Python code that comes with the model, with your permissions. Tick it only for a model from a source you trust.</source>
        <translation>警告：这会以你的权限运行模型附带的 Python 代码。只有模型来源可信时才勾选。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="187"/>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="189"/>
        <source>(demo, CPU)</source>
        <translation>（演示，CPU）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="205"/>
        <source>Recommended: {reason}</source>
        <translation>推荐：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="210"/>
        <source>Does not fit this machine: {why}</source>
        <translation>不适合这台机器：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="211"/>
        <source>Fits this machine ({needs}).</source>
        <translation>适合这台机器（{needs}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="221"/>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="236"/>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="242"/>
        <source>Model config readable: {arch}, {layers} layers.</source>
        <translation>模型配置可读：{arch}，{layers} 层。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="243"/>
        <source>This model ships its own code: tick the box below to use it.</source>
        <translation>这个模型自带代码：要使用它，请勾选下面的选项。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="248"/>
        <source>Cannot read the model&apos;s config: {error}</source>
        <translation>无法读取模型配置：{error}</translation>
    </message>
</context>
<context>
    <name>_ConfigPage</name>
    <message>
        <location filename="../../gui/qt_wizard_settings.py" line="57"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
</context>
</TS>
