<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <location filename="../../gui/qt_text.py" line="66"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="67"/>
        <source>VRAM</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="67"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="84"/>
        <source>On battery: keep the charger connected; a laptop on battery throttles and may shut down</source>
        <translation>正在使用电池：请连接充电器；笔记本用电池时会降频，甚至可能关机</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="92"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: paused</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="94"/>
        <source>; resumes below {resume} {unit}</source>
        <translation>；降到 {resume} {unit} 以下时继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="98"/>
        <source>{label} back to {value} {unit} &lt; {limit} {unit}: resumed</source>
        <translation>{label} 已回到 {value} {unit} &lt; {limit} {unit}：已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="102"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: critical; saving a checkpoint and stopping</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：危险；正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="106"/>
        <source>Battery {value} % &lt; {limit} %: saving a checkpoint and stopping</source>
        <translation>电池 {value} % &lt; {limit} %：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="108"/>
        <source>Paused for {value} min (maximum {limit} min): saving a checkpoint and stopping</source>
        <translation>已暂停 {value} 分钟（上限 {limit} 分钟）：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="112"/>
        <source>Disk nearly full: {free} free, not enough for the next checkpoint: paused; free space and the run resumes</source>
        <translation>磁盘快满了：只剩 {free}，不够保存下一个检查点：已暂停；腾出空间后训练会自动继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="114"/>
        <source>Disk space freed ({free} free): resumed</source>
        <translation>磁盘空间已腾出（剩余 {free}）：已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="115"/>
        <source>Disk space is low: {free} free; free space or keep fewer checkpoints</source>
        <translation>磁盘空间不足：只剩 {free}；请腾出空间或少保留一些检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="118"/>
        <source>Swap use grew by {value} MiB: memory pressure; close other programs or lower the batch size</source>
        <translation>交换空间增加了 {value} MiB：内存紧张；请关闭其他程序或减小批大小</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="130"/>
        <source>Step {step}: training loss {loss:.4f}</source>
        <translation>第 {step} 步：训练损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="132"/>
        <source>Evaluation at step {step}: {metrics}</source>
        <translation>第 {step} 步评估：{metrics}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="134"/>
        <source>Sample output: {text}</source>
        <translation>生成示例：{text}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="136"/>
        <source>Guard paused the run</source>
        <translation>守护已暂停训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="136"/>
        <source>Guard resumed the run</source>
        <translation>守护已恢复训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="137"/>
        <source>Guard stopped the run</source>
        <translation>守护已停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="137"/>
        <source>Guard warning</source>
        <translation>守护警告</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="137"/>
        <source>Guard</source>
        <translation>守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="140"/>
        <source>Checkpoint saved at step {step}: {path}</source>
        <translation>第 {step} 步已保存检查点：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="142"/>
        <source>Out of memory: continuing with smaller settings</source>
        <translation>内存不足：改用更小的设置继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="143"/>
        <source>Out of memory during evaluation: continuing with smaller settings</source>
        <translation>评估时内存不足：改用更小的设置继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="144"/>
        <source>The loss became invalid (NaN): rolled back</source>
        <translation>损失变为无效值（NaN）：已回滚</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="145"/>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="145"/>
        <source>Probe: the micro-batch was changed to fit</source>
        <translation>试探：已调整微批大小以放入内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="154"/>
        <source>training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="154"/>
        <source>stopped by the user</source>
        <translation>由你停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="155"/>
        <source>paused by the user</source>
        <translation>由你暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="155"/>
        <source>interrupted</source>
        <translation>被中断</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="175"/>
        <source>Training started</source>
        <translation>训练已开始</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="175"/>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="175"/>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="175"/>
        <source>Resumed</source>
        <translation>已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="176"/>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="176"/>
        <source>Stopped (a checkpoint was saved)</source>
        <translation>已停止（已保存检查点）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="176"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="177"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="177"/>
        <source>Probing memory</source>
        <translation>正在试探内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="182"/>
        <source>Run folder: {path}</source>
        <translation>运行文件夹：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="189"/>
        <source>The settings have a problem</source>
        <translation>设置有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="189"/>
        <source>Correct the setting named above in the wizard, then start again.</source>
        <translation>请在向导中修改上面指出的设置，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="190"/>
        <source>The data file has a problem</source>
        <translation>数据文件有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="190"/>
        <source>Fix the file at the line shown, or choose another file in the wizard.</source>
        <translation>请修改文件中指出的那一行，或在向导中选择其他文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="191"/>
        <source>The model could not be loaded</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="191"/>
        <source>Check the model id or folder on the wizard&apos;s Task and model page.</source>
        <translation>请在向导的“任务和模型”页检查模型 ID 或文件夹。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="192"/>
        <source>The run folder has a problem</source>
        <translation>运行文件夹有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="192"/>
        <source>Free disk space or choose another folder, then start again.</source>
        <translation>请释放磁盘空间或选择其他文件夹，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="193"/>
        <source>The run cannot start with these settings</source>
        <translation>使用这些设置无法开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="193"/>
        <source>Change the settings as suggested, then start again.</source>
        <translation>请按建议修改设置，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="194"/>
        <source>The sensor trace has a problem</source>
        <translation>传感器回放文件有问题</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="194"/>
        <source>Fix the trace file at the line shown.</source>
        <translation>请修改回放文件中指出的那一行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="195"/>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="195"/>
        <source>Use Auto-fit in the wizard, or a smaller model or batch.</source>
        <translation>请在向导中使用“自动适配”，或换用更小的模型或批大小。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="197"/>
        <source>Training stopped because of an error</source>
        <translation>训练因错误而停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_text.py" line="198"/>
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
        <location filename="../../gui/qt_layout.py" line="92"/>
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
        <location filename="../../gui/qt_layout.py" line="92"/>
        <source>Resume from checkpoint...</source>
        <translation>从检查点继续...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="38"/>
        <location filename="../../gui/qt_layout.py" line="93"/>
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
        <location filename="../../gui/qt_layout.py" line="75"/>
        <source>Loading plots...</source>
        <translation>正在加载曲线...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="88"/>
        <source>Ready. Click New run... to choose what to train, or open a past run.</source>
        <translation>就绪。点击“新建训练...”选择要训练的内容，或打开以前的训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="91"/>
        <source>&amp;Run</source>
        <translation>训练(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="93"/>
        <source>Refresh run history</source>
        <translation>刷新训练记录</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="98"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="101"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="110"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_layout.py" line="111"/>
        <source>Where is the log file?</source>
        <translation>日志文件在哪里？</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="43"/>
        <source>Model {model} is in the cache ({size}).</source>
        <translation>模型 {model} 已在缓存中（{size}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="45"/>
        <source>Download cancelled; it continues where it stopped next time.</source>
        <translation>下载已取消；下次会从中断处继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="47"/>
        <source>Download failed: {why}</source>
        <translation>下载失败：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="50"/>
        <source>Downloading {model} from {source}: {pct:.0f}% ({done} of {total}), {speed}, {eta} left</source>
        <translation>正在从 {source} 下载 {model}：{pct:.0f}%（{done} / {total}），{speed}，剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="468"/>
        <source>Choose a run in the history first, then Try it...</source>
        <translation>请先在运行历史中选择一个运行，再点“试用...”</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="478"/>
        <location filename="../../gui/qt_try.py" line="488"/>
        <location filename="../../gui/qt_try.py" line="502"/>
        <source>Try it...</source>
        <translation>试用...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="480"/>
        <source>Try a trained model: type a sentence, chat, or compare two checkpoints</source>
        <translation>试用训练好的模型：输入句子、对话，或比较两个检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="261"/>
        <source>Choose a run in the history first, then Export...</source>
        <translation>请先在历史记录中选择一次运行，再点“导出...”</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="268"/>
        <location filename="../../gui/qt_export.py" line="278"/>
        <location filename="../../gui/qt_export.py" line="290"/>
        <source>Export...</source>
        <translation>导出...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="270"/>
        <source>Export a trained model: Hugging Face folder, merged LoRA, GGUF or Ollama</source>
        <translation>导出训练好的模型：Hugging Face 文件夹、合并 LoRA、GGUF 或 Ollama</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <location filename="../../gui/qt_core_text.py" line="30"/>
        <source>{where}: {message}. Fix: {fix}</source>
        <translation>{where}：{message}。解决办法：{fix}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="31"/>
        <source>{file}, line {line}, field &apos;{field}&apos;</source>
        <translation>{file}，第 {line} 行，字段 &apos;{field}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="32"/>
        <source>{file}, row {line}, field &apos;{field}&apos;</source>
        <translation>{file}，第 {line} 行，字段 &apos;{field}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="33"/>
        <source>{file}, line {line}</source>
        <translation>{file}，第 {line} 行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="34"/>
        <source>{file}, row {line}</source>
        <translation>{file}，第 {line} 行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="35"/>
        <source>{file}, field &apos;{field}&apos;</source>
        <translation>{file}，字段 &apos;{field}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="36"/>
        <source>file not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="37"/>
        <source>check the path, or choose the file again.</source>
        <translation>检查路径，或重新选择文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="38"/>
        <source>file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="39"/>
        <source>choose the file that holds the training data.</source>
        <translation>选择包含训练数据的文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="40"/>
        <source>missing field &apos;{field}&apos; (fields found: {found})</source>
        <translation>缺少字段 &apos;{field}&apos;（找到的字段：{found}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="41"/>
        <source>field &apos;{key}&apos; is {what}, not a string (fields found: {found})</source>
        <translation>字段 &apos;{key}&apos; 是 {what}，不是字符串（找到的字段：{found}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="42"/>
        <source>field &apos;{key}&apos; is {what}, not a string</source>
        <translation>字段 &apos;{key}&apos; 是 {what}，不是字符串</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="43"/>
        <source>write each example as {shape}.</source>
        <translation>每条样本写成 {shape}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="44"/>
        <source>write each conversation as {shape}.</source>
        <translation>每段对话写成 {shape}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="45"/>
        <source>empty output</source>
        <translation>output 为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="46"/>
        <source>write the answer the model should learn, or delete the example.</source>
        <translation>写出模型应学会的回答，或删除这条样本。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="47"/>
        <source>empty instruction and input</source>
        <translation>instruction 和 input 都为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="48"/>
        <source>write the instruction, or delete the example.</source>
        <translation>写出指令，或删除这条样本。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="49"/>
        <source>invalid JSON: {msg} at column {col}</source>
        <translation>JSON 无效：第 {col} 列 {msg}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="50"/>
        <source>each line must be one complete JSON object; a pretty-printed file spread over many lines should be named .json instead.</source>
        <translation>每行必须是一个完整的 JSON 对象；跨多行排版的文件请改用 .json 扩展名。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="51"/>
        <source>label &apos;{label}&apos; is not in BIO form</source>
        <translation>标签 &apos;{label}&apos; 不是 BIO 格式</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="52"/>
        <source>use B-{a} or I-{b} (or O).</source>
        <translation>使用 B-{a} 或 I-{b}（或 O）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="53"/>
        <source>use the letter O (not the digit 0) for tokens outside any entity.</source>
        <translation>实体之外的词用字母 O（不是数字 0）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="54"/>
        <source>spans {a} and {b} overlap</source>
        <translation>片段 {a} 与 {b} 重叠</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="55"/>
        <source>delete one of them: BIO tags cannot hold nested or overlapping entities.</source>
        <translation>删除其中一个：BIO 标签无法表示嵌套或重叠的实体。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="56"/>
        <source>span {span} is outside the text (length {n}) or empty</source>
        <translation>片段 {span} 超出文本范围（长度 {n}）或为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="57"/>
        <source>offsets count characters from 0; the end is {ends}. Correct or delete this entity.</source>
        <translation>偏移量从 0 开始按字符计数；结束位置是{ends}。请修正或删除这个实体。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="58"/>
        <source>the last character&apos;s offset</source>
        <translation>最后一个字符的位置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="59"/>
        <source>one past the last character</source>
        <translation>最后一个字符的下一个位置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="60"/>
        <source>span {span} covers &apos;{covered}&apos;, but the entity is &apos;{mention}&apos;</source>
        <translation>片段 {span} 覆盖的是 &apos;{covered}&apos;，但实体是 &apos;{mention}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="61"/>
        <source>correct the offsets (they count characters from 0) or the entity text.</source>
        <translation>修正偏移量（从 0 开始按字符计数）或实体文本。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="62"/>
        <source>cannot read the entity {item}</source>
        <translation>无法读取实体 {item}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="63"/>
        <source>no column &apos;{name}&apos; (columns found: {found})</source>
        <translation>没有列 &apos;{name}&apos;（找到的列：{found}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="64"/>
        <source>no field &apos;{name}&apos; (fields found: {found})</source>
        <translation>没有字段 &apos;{name}&apos;（找到的字段：{found}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="65"/>
        <source>empty text</source>
        <translation>文本为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="66"/>
        <source>fill in the text or delete the row.</source>
        <translation>填写文本，或删除这一行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="67"/>
        <source>empty label</source>
        <translation>标签为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="68"/>
        <source>fill in the label or delete the row.</source>
        <translation>填写标签，或删除这一行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="69"/>
        <source>{n} fields, but the header (line {h}) has {m}</source>
        <translation>{n} 个字段，但表头（第 {h} 行）有 {m} 个</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="70"/>
        <source>cannot tell which task this data is for</source>
        <translation>无法判断这份数据属于哪个任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="71"/>
        <source>this looks like {what} data ({pct} of the sampled records fit): choose the {task} task (--task {t})</source>
        <translation>这看起来是{what}数据（抽样记录中 {pct} 符合）：请选择{task}任务（--task {t}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="72"/>
        <source>This looks like {what} data ({pct} of the sampled records fit): choose the {task} task (--task {t})</source>
        <translation>这看起来是{what}数据（抽样记录中 {pct} 符合）：请选择{task}任务（--task {t}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="73"/>
        <source>no conversations found</source>
        <translation>没有找到对话</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="74"/>
        <source>no sentences found</source>
        <translation>没有找到句子</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="75"/>
        <source>no examples found</source>
        <translation>没有找到样本</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="76"/>
        <source>conversation has no assistant turn</source>
        <translation>对话中没有助手回复</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="77"/>
        <source>add at least one assistant message: the model learns from the assistant&apos;s replies.</source>
        <translation>至少添加一条助手消息：模型从助手的回复中学习。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="78"/>
        <source>expected a token and its label separated by a space or tab, found one column</source>
        <translation>应为词和标签，以空格或制表符分隔，但只找到一列</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="79"/>
        <source>cannot tell the format of this file</source>
        <translation>无法判断这个文件的格式</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="80"/>
        <source>the file is not text in UTF-8 or GBK ({why})</source>
        <translation>文件不是 UTF-8 或 GBK 文本（{why}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="81"/>
        <source>open it in a text editor and save it again with the encoding UTF-8.</source>
        <translation>用文本编辑器打开，并以 UTF-8 编码重新保存。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="82"/>
        <source>empty file</source>
        <translation>空文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="83"/>
        <source>write the text into it, or delete it.</source>
        <translation>把文本写进去，或删除它。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="84"/>
        <source>read as {encoding}</source>
        <translation>按 {encoding} 读取</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="85"/>
        <source>CLUENER spans: end offsets are inclusive</source>
        <translation>CLUENER 片段：结束位置包含在内</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="86"/>
        <source>span ends read as exclusive (end = one past the last character)</source>
        <translation>片段结束位置按不包含处理（结束 = 最后一个字符的下一个位置）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="87"/>
        <source>span ends read as exclusive, as doccano and Label Studio write them</source>
        <translation>片段结束位置按不包含处理（doccano 和 Label Studio 的写法）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="88"/>
        <source>span ends read as inclusive (the spans&apos; own texts say so)</source>
        <translation>片段结束位置按包含处理（由片段自带的文本判断）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="89"/>
        <source>{n} columns per line: the first is the token, the last the label</source>
        <translation>每行 {n} 列：第一列是词，最后一列是标签</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="90"/>
        <source>read BMES tags: M-X is taken as I-X</source>
        <translation>读取 BMES 标签：M-X 视为 I-X</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="91"/>
        <source>used column &apos;{column}&apos; as {role}</source>
        <translation>把列 &apos;{column}&apos; 用作{role}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="92"/>
        <source>used field &apos;{column}&apos; as the labels</source>
        <translation>把字段 &apos;{column}&apos; 用作标签</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="93"/>
        <source>only one label in the file: a classifier needs at least two</source>
        <translation>文件中只有一种标签：分类器至少需要两种</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="94"/>
        <source>{n} conversations end with a user turn: the model learns nothing from that last turn (add the assistant&apos;s reply, or delete it)</source>
        <translation>{n} 段对话以用户发言结尾：模型从最后这一轮学不到东西（补上助手的回复，或删除它）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="95"/>
        <source>{n} conversation ends with a user turn: the model learns nothing from that last turn (add the assistant&apos;s reply, or delete it)</source>
        <translation>{n} 段对话以用户发言结尾：模型从最后这一轮学不到东西（补上助手的回复，或删除它）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="96"/>
        <source>read ShareGPT &apos;conversations&apos; (human/gpt) as user/assistant messages</source>
        <translation>ShareGPT 的 &apos;conversations&apos;（human/gpt）按 user/assistant 消息读取</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="97"/>
        <source>header in row {n} of sheet &apos;{sheet}&apos;</source>
        <translation>表头在工作表 &apos;{sheet}&apos; 的第 {n} 行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="98"/>
        <source>no header row: column A is the text, column B the label</source>
        <translation>没有表头行：A 列是文本，B 列是标签</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="99"/>
        <source>class names taken from the dataset&apos;s features: {columns}</source>
        <translation>类别名称取自数据集的 features：{columns}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="100"/>
        <source>one example per .txt file, the sub-folder name is the label ({n} sub-folders)</source>
        <translation>每个 .txt 文件一条样本，子文件夹名就是标签（{n} 个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="101"/>
        <source>{n} more problems not listed (showing the first {m})</source>
        <translation>另有 {n} 个问题未列出（只显示前 {m} 个）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="102"/>
        <source>{n} entities start with I- or E- instead of B- (read as starts)</source>
        <translation>{n} 个实体以 I- 或 E- 而不是 B- 开头（按实体开头读取）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="103"/>
        <source>NER, {shape}</source>
        <translation>命名实体识别，{shape}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="104"/>
        <source>classification, {shape}</source>
        <translation>文本分类，{shape}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="105"/>
        <source>chat SFT, {shape}</source>
        <translation>对话 SFT，{shape}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="106"/>
        <source>classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="107"/>
        <source>chat SFT</source>
        <translation>对话 SFT</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="108"/>
        <source>unknown task</source>
        <translation>未知任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="109"/>
        <source>token lists {fmt}</source>
        <translation>词元列表 {fmt}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="110"/>
        <source>spans {fmt}</source>
        <translation>片段 {fmt}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="111"/>
        <source>doccano spans {fmt}</source>
        <translation>doccano 片段 {fmt}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="112"/>
        <source>Label Studio spans {fmt}</source>
        <translation>Label Studio 片段 {fmt}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="113"/>
        <source>folder of .txt per class</source>
        <translation>每类一个 .txt 子文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="114"/>
        <source>datasets folder</source>
        <translation>datasets 文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="115"/>
        <source>unknown format</source>
        <translation>未知格式</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="116"/>
        <source>looks like {title} but {n} records lack &apos;{need}&apos;</source>
        <translation>看起来像 {title}，但有 {n} 条记录缺少 &apos;{need}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="117"/>
        <source>looks like {title} but {n} record lacks &apos;{need}&apos;</source>
        <translation>看起来像 {title}，但有 {n} 条记录缺少 &apos;{need}&apos;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="118"/>
        <source>{n} records fit no known shape (fields: {keys})</source>
        <translation>{n} 条记录不符合任何已知格式（字段：{keys}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="119"/>
        <source>{n} record fit no known shape (fields: {keys})</source>
        <translation>{n} 条记录不符合任何已知格式（字段：{keys}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="120"/>
        <source>No NVIDIA GPU found: training runs on the CPU.</source>
        <translation>未找到 NVIDIA GPU：训练在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="121"/>
        <source>GPU {i} ({name}) is the only GPU: {free} of {total} GiB free.</source>
        <translation>GPU {i}（{name}）是唯一的 GPU：{total} GiB 中空闲 {free} GiB。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="122"/>
        <source>GPU {i} ({name}) has the most free memory: {free} of {total} GiB free; GPU {j} next with {other} GiB.</source>
        <translation>GPU {i}（{name}）空闲显存最多：{total} GiB 中空闲 {free} GiB；其次是 GPU {j}，空闲 {other} GiB。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="123"/>
        <source>no NVIDIA GPU, {ram} GB RAM: CPU tier</source>
        <translation>无 NVIDIA GPU，{ram} GB 内存：CPU 档</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="124"/>
        <source>{gpu} has {vram} GB VRAM, {ram} GB RAM: low-memory tier (VRAM &lt;= 4 GB or RAM &lt; 8 GB)</source>
        <translation>{gpu} 有 {vram} GB 显存、{ram} GB 内存：低内存档（显存 &lt;= 4 GB 或内存 &lt; 8 GB）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="125"/>
        <source>{gpu} has {vram} GB VRAM, {ram} GB RAM: safe tier (VRAM 4-8 GB or RAM 8-16 GB)</source>
        <translation>{gpu} 有 {vram} GB 显存、{ram} GB 内存：安全档（显存 4-8 GB 或内存 8-16 GB）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="126"/>
        <source>{gpu} has {vram} GB VRAM, {ram} GB RAM: full tier (VRAM &gt; 8 GB and RAM &gt; 16 GB)</source>
        <translation>{gpu} 有 {vram} GB 显存、{ram} GB 内存：完整档（显存 &gt; 8 GB 且内存 &gt; 16 GB）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="127"/>
        <source>{reason}; this is the {tier} preset</source>
        <translation>{reason}；这是 {tier} 档的预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="128"/>
        <source>{reason}; the {tier} preset fits</source>
        <translation>{reason}；{tier} 档的预设适合</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="129"/>
        <source>needs an NVIDIA GPU with CUDA</source>
        <translation>需要支持 CUDA 的 NVIDIA GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="130"/>
        <source>needs {n} GB VRAM, this machine has no GPU</source>
        <translation>需要 {n} GB 显存，这台机器没有 GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="131"/>
        <source>needs {n} GB VRAM, this machine has {have}</source>
        <translation>需要 {n} GB 显存，这台机器有 {have}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="132"/>
        <source>needs a GPU with bf16 (RTX 30xx or newer)</source>
        <translation>需要支持 bf16 的 GPU（RTX 30 系列或更新）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="133"/>
        <source>needs {n} GB RAM, this machine has {have} GB</source>
        <translation>需要 {n} GB 内存，这台机器有 {have} GB</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="134"/>
        <source>GPU {i} ({name}): the driver does not report {what}; those readings stay empty.</source>
        <translation>GPU {i}（{name}）：驱动不报告 {what}；这些读数留空。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="135"/>
        <source>GPU {i} was found but could not be read, so it is left out.</source>
        <translation>找到了 GPU {i}，但无法读取，已略过。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="136"/>
        <source>The NVIDIA driver is present but reports no GPU: CPU only.</source>
        <translation>有 NVIDIA 驱动，但它没有报告任何 GPU：仅 CPU。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="137"/>
        <source>No GPU could be read: CPU only.</source>
        <translation>无法读取任何 GPU：仅 CPU。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="138"/>
        <source>PyTorch cannot use the GPU (the driver may be too old for its CUDA version).</source>
        <translation>PyTorch 无法使用 GPU（驱动对它的 CUDA 版本可能太旧）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="139"/>
        <source>PyTorch could not be imported: compute capability and bf16 support come from the driver only.</source>
        <translation>无法导入 PyTorch：计算能力和 bf16 支持只来自驱动。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="140"/>
        <source>GPU{pad}none (CPU only)</source>
        <translation>GPU{pad}无（仅 CPU）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="141"/>
        <source>RAM{pad}{a} of {b} GiB available</source>
        <translation>内存{pad}{a} / {b} GiB 可用</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="142"/>
        <source>Swap{pad}{a} of {b} GiB used</source>
        <translation>交换{pad}{a} / {b} GiB 已用</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="143"/>
        <source>CPU{pad}{cpu}, {c} cores / {t} threads</source>
        <translation>CPU{pad}{cpu}，{c} 核 / {t} 线程</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="144"/>
        <source>Battery{pad}{pct} %, on AC</source>
        <translation>电池{pad}{pct} %，已接电源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="145"/>
        <source>Battery{pad}{pct} %, on battery</source>
        <translation>电池{pad}{pct} %，使用电池</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="146"/>
        <source>Driver{pad}{version}, CUDA usable: yes</source>
        <translation>驱动{pad}{version}，CUDA 可用：是</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="147"/>
        <source>Driver{pad}{version}, CUDA usable: no</source>
        <translation>驱动{pad}{version}，CUDA 可用：否</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="148"/>
        <source>Note{pad}{note}</source>
        <translation>提示{pad}{note}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="149"/>
        <source>No NVIDIA driver found (NVML library missing): CPU only.</source>
        <translation>未找到 NVIDIA 驱动（缺少 NVML 库）：仅 CPU。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="16"/>
        <source>{n} CPU thread for torch (device.cpu_threads; default: all physical cores but one)</source>
        <translation>torch 使用 {n} 个 CPU 线程（device.cpu_threads；默认：除一个以外的全部物理核心）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="17"/>
        <source>{n} CPU threads for torch (device.cpu_threads; default: all physical cores but one)</source>
        <translation>torch 使用 {n} 个 CPU 线程（device.cpu_threads；默认：除一个以外的全部物理核心）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="18"/>
        <source>{a} or {b} CPU threads for torch, whichever measures faster during the run (device.cpu_threads fixes the number)</source>
        <translation>torch 使用 {a} 或 {b} 个 CPU 线程，训练中实测哪个更快就用哪个（device.cpu_threads 可固定线程数）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="19"/>
        <source>torch uses {n} CPU thread from step {step} (measured: {times} ms per 1000 tokens)</source>
        <translation>从第 {step} 步起 torch 使用 {n} 个 CPU 线程（实测：{times}，单位为每 1000 个 token 的毫秒数）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="20"/>
        <source>torch uses {n} CPU threads from step {step} (measured: {times} ms per 1000 tokens)</source>
        <translation>从第 {step} 步起 torch 使用 {n} 个 CPU 线程（实测：{times}，单位为每 1000 个 token 的毫秒数）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="21"/>
        <source>{n} classes: {labels}</source>
        <translation>{n} 个类别：{labels}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="22"/>
        <source>{name} from {checkpoint} on {device} ({precision}); {reason}</source>
        <translation>{name}，从 {checkpoint} 继续，设备 {device}（{precision}）；{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="23"/>
        <source>{name} on {device} ({precision}); {reason}</source>
        <translation>{name}，设备 {device}（{precision}）；{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="24"/>
        <source>training runs on the CPU: {why}</source>
        <translation>训练在 CPU 上运行：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="25"/>
        <source>no CUDA GPU is available to PyTorch</source>
        <translation>PyTorch 找不到可用的 CUDA GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="26"/>
        <source>use_cpu is set</source>
        <translation>已设置 use_cpu</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="33"/>
        <source>{n} attention layers compute query, key and value in one product</source>
        <translation>{n} 个注意力层在一次矩阵乘法中计算 query、key 和 value</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="34"/>
        <source>sensors are off (guard.sensors: false): no guard, no hardware readings</source>
        <translation>传感器已关闭（guard.sensors: false）：没有守护，也没有硬件读数</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="35"/>
        <source>sensors stopped: {error}</source>
        <translation>传感器已停止：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="36"/>
        <source>resumed after {s} s</source>
        <translation>{s} 秒后继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="37"/>
        <source>already complete at step {step}: nothing to resume</source>
        <translation>已在第 {step} 步完成：没有可继续的内容</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="38"/>
        <source>{key}: {old} -&gt; {new} for the rest of this run</source>
        <translation>{key}：{old} -&gt; {new}（本次训练余下部分）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="39"/>
        <source>skipped {name}: incomplete (its save was interrupted)</source>
        <translation>已跳过 {name}：不完整（保存时被中断）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="40"/>
        <source>no complete checkpoint in {path}: the run stopped before its first save, so it starts again from step 0 in the same folder with its saved settings</source>
        <translation>{path} 中没有完整的检查点：训练在第一次保存前就停止了，因此将在同一文件夹中按已保存的设置从第 0 步重新开始</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="42"/>
        <source>dropped {n} conversations with no assistant token left after truncation to {limit} tokens</source>
        <translation>截断到 {limit} 个词元后，有 {n} 段对话没有剩下助手回复，已丢弃</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="43"/>
        <source>the tokenizer has no chat template: using LapTune&apos;s simple &apos;&lt;|role|&gt;&apos; template</source>
        <translation>分词器没有对话模板：使用 LapTune 的简单 &apos;&lt;|role|&gt;&apos; 模板</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="44"/>
        <source>LoRA r={r} on {targets}: {n} trainable parameters</source>
        <translation>LoRA r={r}，作用于 {targets}：{n} 个可训练参数</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="45"/>
        <source>{n} sentences were longer than max_seq_length and were cut (their tail words are not trained)</source>
        <translation>{n} 个句子超过 max_seq_length 被截断（末尾的词不参与训练）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="47"/>
        <source>Out of memory: {changes}; continuing from {where}</source>
        <translation>内存不足：{changes}；从 {where} 继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="48"/>
        <source>the start</source>
        <translation>开头</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="49"/>
        <source>micro-batch {a} -&gt; {b}, accumulation {c} -&gt; {d} (effective batch stays {e})</source>
        <translation>微批次 {a} -&gt; {b}，梯度累积 {c} -&gt; {d}（有效批次保持 {e}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="50"/>
        <source>already at batch 1: sequence length {a} -&gt; {b} (longer samples are cut)</source>
        <translation>批次已是 1：序列长度 {a} -&gt; {b}（更长的样本会被截断）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="51"/>
        <source>gradient checkpointing on (slower, much less memory)</source>
        <translation>开启梯度检查点（更慢，但内存少得多）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="52"/>
        <source>the loss became non-finite twice ({error}); stopped. {advice}</source>
        <translation>损失两次变为无效值（{error}）；已停止。{advice}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="53"/>
        <source>Loss became {value} at step {step}: rolled back to {where}. If it happens again: {advice}</source>
        <translation>第 {step} 步损失变为 {value}：已回退到 {where}。如果再次发生：{advice}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="54"/>
        <source>lower the head/CRF learning rate (e.g. --set crf_learning_rate=1e-3), turn fp16 off (--set precision=fp32), and check the data (seed 000&apos;s advice)</source>
        <translation>降低分类头/CRF 的学习率（例如 --set crf_learning_rate=1e-3），关闭 fp16（--set precision=fp32），并检查数据（seed 000 的建议）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="57"/>
        <source>probe: micro-batch {b} fits, {s} s per step</source>
        <translation>试探：微批次 {b} 可以放下，每步 {s} 秒</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="58"/>
        <source>probing {n} steps at the longest samples ({tokens} tokens) on {device}</source>
        <translation>在 {device} 上用最长的样本（{tokens} 个词元）试探 {n} 步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="59"/>
        <source>probe on {device}: micro-batch {b} x accumulation {a}</source>
        <translation>在 {device} 上试探：微批次 {b} × 梯度累积 {a}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="60"/>
        <source>measured peak {peak}, estimated {estimate}</source>
        <translation>实测峰值 {peak}，估计 {estimate}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="61"/>
        <source>{s} s per optimizer step at the longest samples; about {epoch} min per epoch, {total} min in total</source>
        <translation>最长样本下每个优化步 {s} 秒；每轮约 {epoch} 分钟，共约 {total} 分钟</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="62"/>
        <source>no estimate to compare: {error}</source>
        <translation>没有可对比的估计：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="63"/>
        <source>micro-batch {b} did not fit; {best} x {accum} keeps the effective batch {effective}</source>
        <translation>微批次 {b} 放不下；{best} × {accum} 保持有效批次 {effective}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="64"/>
        <source>times are measured at the longest samples, so the epoch time is an upper bound</source>
        <translation>时间是用最长的样本测得的，所以每轮时间是上限</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="66"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: critical; saving a checkpoint and stopping</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：危险；正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="67"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: paused; resumes below {resume} {unit}</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：已暂停；降到 {resume} {unit} 以下时继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="68"/>
        <source>{label} {value} {unit} ≥ {limit} {unit}: paused and freeing the CUDA cache; resumes below {resume} {unit}</source>
        <translation>{label} {value} {unit} ≥ {limit} {unit}：已暂停并释放 CUDA 缓存；降到 {resume} {unit} 以下时继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="69"/>
        <source>{label} back to {value} {unit} &lt; {limit} {unit}: resumed</source>
        <translation>{label} 已回到 {value} {unit} &lt; {limit} {unit}：已继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="70"/>
        <source>Battery {value} % &lt; {limit} %: saving a checkpoint and stopping</source>
        <translation>电量 {value} % &lt; {limit} %：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="71"/>
        <source>Paused for {value} min (maximum {limit} min): saving a checkpoint and stopping</source>
        <translation>已暂停 {value} 分钟（最长 {limit} 分钟）：正在保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="72"/>
        <source>On battery: keep the charger connected; a laptop on battery throttles and may shut down</source>
        <translation>正在用电池：请接上充电器；笔记本用电池时会降频，还可能关机</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="73"/>
        <source>On battery ({pct} %): keep the charger connected; a laptop on battery throttles and may shut down</source>
        <translation>正在用电池（{pct} %）：请接上充电器；笔记本用电池时会降频，还可能关机</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="74"/>
        <source>Swap use grew by {n} MiB since the start: memory pressure; the system is short of RAM and training will slow down; close other programs or lower the batch size</source>
        <translation>交换区比开始时多用了 {n} MiB：内存紧张；系统内存不足，训练会变慢；请关闭其他程序或调小批次</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="77"/>
        <source>{message} Fix: {fix}</source>
        <translation>{message}。解决办法：{fix}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="79"/>
        <source>memory.precision is bf16 but this GPU has no bf16 (it arrived with RTX 30xx)</source>
        <translation>memory.precision 是 bf16，但这块 GPU 不支持 bf16（RTX 30 系列起才有）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="80"/>
        <source>set precision to fp16 or auto</source>
        <translation>把精度设为 fp16 或 auto</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="81"/>
        <source>out of memory even at batch 1 with short sequences and gradient checkpointing</source>
        <translation>即使批次为 1、序列变短并开启梯度检查点，内存仍然不足</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="82"/>
        <source>use a smaller model, LoRA/QLoRA, or the CPU (`laptune estimate` shows what fits)</source>
        <translation>换一个更小的模型、使用 LoRA/QLoRA，或改用 CPU（`laptune estimate` 会显示哪些放得下）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="83"/>
        <source>cannot write to the run folder {path}: {why}</source>
        <translation>无法写入训练文件夹 {path}：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="84"/>
        <source>choose another folder with --out, or free space / fix permissions</source>
        <translation>用 --out 选择另一个文件夹，或腾出空间 / 修正权限</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="85"/>
        <source>{path} is not a LapTune run folder (no run.yaml)</source>
        <translation>{path} 不是 LapTune 训练文件夹（没有 run.yaml）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="86"/>
        <source>pass a folder under runs/</source>
        <translation>请选择 runs/ 下的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="87"/>
        <source>checkpoint-{step} in {path} is incomplete (the save was interrupted)</source>
        <translation>{path} 中的 checkpoint-{step} 不完整（保存时被中断）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="88"/>
        <source>resume from another checkpoint; `laptune runs RUN_DIR` lists them</source>
        <translation>从另一个检查点继续；`laptune runs RUN_DIR` 会列出它们</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="89"/>
        <source>no checkpoint-{step} in {path}</source>
        <translation>{path} 中没有 checkpoint-{step}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="90"/>
        <source>`laptune runs RUN_DIR` lists the checkpoints</source>
        <translation>`laptune runs RUN_DIR` 会列出检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="91"/>
        <source>not enough disk space in {path}: {free} GB free, a checkpoint needs about {need} GB (two are kept while the newer one is written)</source>
        <translation>{path} 所在磁盘空间不足：剩余 {free} GB，一个检查点约需 {need} GB（写入新检查点时会同时保留两个）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="93"/>
        <source>free disk space, lower save_total_limit, or choose another folder with --out</source>
        <translation>腾出磁盘空间、调低 save_total_limit，或用 --out 选择另一个文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="95"/>
        <source>no usable NVIDIA GPU: training runs on the CPU</source>
        <translation>没有可用的 NVIDIA GPU：训练在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="97"/>
        <source>8-bit optimizers (bitsandbytes) need CUDA</source>
        <translation>8 位优化器（bitsandbytes）需要 CUDA</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="98"/>
        <source>quantised training (bitsandbytes) needs CUDA; LoRA stays on over fp32 weights</source>
        <translation>量化训练（bitsandbytes）需要 CUDA；LoRA 保持开启，作用于 fp32 权重</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="99"/>
        <source>{gpu} has no bf16 (compute capability {cc}, bf16 needs 8.0); fp16 uses the same memory</source>
        <translation>{gpu} 不支持 bf16（计算能力 {cc}，bf16 需要 8.0）；fp16 占用的内存相同</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="100"/>
        <source>the fitted config runs without bf16</source>
        <translation>调整后的配置不需要 bf16</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="101"/>
        <source>4-bit loading trains on CUDA only</source>
        <translation>4 位加载只能在 CUDA 上训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="102"/>
        <source>8-bit AdamW (bitsandbytes, CUDA only) keeps 2 bytes of state per trained weight instead of 8</source>
        <translation>8 位 AdamW（bitsandbytes，仅限 CUDA）每个训练权重只保存 2 字节状态，而不是 8 字节</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="103"/>
        <source>QLoRA (CUDA only) stores the frozen layers&apos; weights in 4-bit NF4, about a quarter of their size</source>
        <translation>QLoRA（仅限 CUDA）把冻结层的权重存为 4 位 NF4，约为原大小的四分之一</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="104"/>
        <source>replaced by 4-bit loading</source>
        <translation>由 4 位加载取代</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="105"/>
        <source>even batch 1 with checkpointing needs {need} of {budget}; {why}, saving {saved}</source>
        <translation>即使批次为 1 并开启梯度检查点也需要 {need}（预算 {budget}）；{why}，节省 {saved}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="106"/>
        <source>even batch 1 with checkpointing needs {need} of {budget}; training the last {left} of {n} layers (and the head) needs no gradients or optimizer state for the frozen ones</source>
        <translation>即使批次为 1 并开启梯度检查点也需要 {need}（预算 {budget}）；只训练 {n} 层中的最后 {left} 层（和输出头），冻结的层不需要梯度和优化器状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="108"/>
        <source>even batch 1 with checkpointing needs {need} of {budget}; samples longer than {len} tokens are truncated</source>
        <translation>即使批次为 1 并开启梯度检查点也需要 {need}（预算 {budget}）；超过 {len} 个词元的样本会被截断</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="110"/>
        <source>the smallest micro-batch; {b} x {a} keeps the effective batch of {e}</source>
        <translation>最小的微批次；{b} × {a} 保持有效批次 {e}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="111"/>
        <source>{b} x {a} keeps the effective batch of {e} and fits ({peak} of {budget}): fewer, larger steps train faster</source>
        <translation>{b} × {a} 保持有效批次 {e} 并且放得下（{peak}，预算 {budget}）：步数更少、每步更大，训练更快</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="113"/>
        <source>micro-batch {m} needs {need} of {budget}; {b} x {a} keeps the effective batch of {e}</source>
        <translation>微批次 {m} 需要 {need}（预算 {budget}）；{b} × {a} 保持有效批次 {e}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="114"/>
        <source>micro-batch {b} x {a} = the effective batch of {e}</source>
        <translation>微批次 {b} × {a} = 有效批次 {e}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="115"/>
        <source>without it even micro-batch 1 needs {need} of {budget}; recomputing activations in backward saves memory for {time} more time per step</source>
        <translation>不开启时即使微批次为 1 也需要 {need}（预算 {budget}）；反向传播时重新计算激活值可节省内存，每步多花 {time} 时间</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="117"/>
        <source>the run fits without recomputing activations, which saves {time} time per step</source>
        <translation>不重新计算激活值也放得下，每步可节省 {time} 时间</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="119"/>
        <source>Estimated peak GPU memory: {peak}</source>
        <translation>估计显存峰值：{peak}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="120"/>
        <source>Estimated peak RAM (training on the CPU): {peak}</source>
        <translation>估计内存峰值（在 CPU 上训练）：{peak}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="149"/>
        <source>The CPU keeps fp32 weights: {p} is counted as fp32 (an upper bound for bf16 autocast).</source>
        <translation>CPU 保留 fp32 权重：{p} 按 fp32 计算（对 bf16 自动混合精度是上限）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text.py" line="223"/>
        <location filename="../../gui/qt_core_text_run.py" line="121"/>
        <source>Model: {model}</source>
        <translation>模型：{model}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="27"/>
        <source>memory.precision is {precision} but training runs on the CPU ({why}): {what}</source>
        <translation>memory.precision 是 {precision}，但训练在 CPU 上运行（{why}）：{what}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="28"/>
        <source>fp16 is for CUDA GPUs</source>
        <translation>fp16 只用于 CUDA GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="29"/>
        <source>{task} runs in fp32 on the CPU</source>
        <translation>{task} 在 CPU 上以 fp32 训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="30"/>
        <source>this CPU has no native bf16 (AVX512-BF16 or AMX)</source>
        <translation>这颗 CPU 没有原生 bf16（AVX512-BF16 或 AMX）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="31"/>
        <source>{n} dropout layers and attention dropout use faster CPU masks (same rate)</source>
        <translation>{n} 个 dropout 层和注意力 dropout 使用更快的 CPU 掩码（丢弃率不变）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="32"/>
        <source>{n} dropout layers use faster CPU masks (same rate)</source>
        <translation>{n} 个 dropout 层使用更快的 CPU 掩码（丢弃率不变）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="78"/>
        <source>set precision to fp32 or auto (--set precision=auto), or pick a CPU preset</source>
        <translation>把精度设为 fp32 或 auto（--set precision=auto），或选择 CPU 预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="96"/>
        <source>training runs on the CPU: auto is bf16 where the CPU multiplies bf16 natively (AVX512-BF16 or AMX), else fp32</source>
        <translation>训练在 CPU 上运行：auto 在能原生计算 bf16 的 CPU（AVX512-BF16 或 AMX）上用 bf16，否则用 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="122"/>
        <source>Parameters: {total} M, of which {trainable} M trainable</source>
        <translation>参数：{total} M，其中可训练 {trainable} M</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="123"/>
        <source>Note: {note}</source>
        <translation>提示：{note}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="124"/>
        <source>{type}: {layers} layers, hidden {hidden}, {heads} heads, MLP {mlp}, vocabulary {vocab}</source>
        <translation>{type}：{layers} 层，隐藏维度 {hidden}，{heads} 个注意力头，MLP {mlp}，词表 {vocab}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="125"/>
        <source>{type}: {layers} layers, hidden {hidden}, {heads} heads, {kv} kv heads, MLP {mlp}, vocabulary {vocab}</source>
        <translation>{type}：{layers} 层，隐藏维度 {hidden}，{heads} 个注意力头，{kv} 个 KV 头，MLP {mlp}，词表 {vocab}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="126"/>
        <source>CUDA context, kernels, cuBLAS workspace</source>
        <translation>CUDA 上下文、内核、cuBLAS 工作区</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="127"/>
        <source>Python, torch, transformers, tokenizer, dataset</source>
        <translation>Python、torch、transformers、分词器、数据集</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="128"/>
        <source>{n} B weights in NF4, the rest {rest}, LoRA fp32</source>
        <translation>{n} B 权重为 NF4，其余为 {rest}，LoRA 为 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="129"/>
        <source>{n} B weights in int8, the rest {rest}, LoRA fp32</source>
        <translation>{n} B 权重为 int8，其余为 {rest}，LoRA 为 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="130"/>
        <source>{n} M parameters, {dtype}, LoRA fp32</source>
        <translation>{n} M 参数，{dtype}，LoRA 为 fp32</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="131"/>
        <source>{n} M parameters, {dtype}</source>
        <translation>{n} M 参数，{dtype}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="132"/>
        <source>half precision</source>
        <translation>半精度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="133"/>
        <source>half-precision copies of fp32 weights (autocast)</source>
        <translation>fp32 权重的半精度副本（autocast）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="134"/>
        <source>none in fp32</source>
        <translation>fp32 下没有</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="135"/>
        <source>{n} M trainable x 4 bytes</source>
        <translation>{n} M 可训练参数 × 4 字节</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="136"/>
        <source>AdamW: 2 fp32 states</source>
        <translation>AdamW：2 个 fp32 状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="137"/>
        <source>8-bit AdamW: 2 one-byte states</source>
        <translation>8 位 AdamW：2 个单字节状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="138"/>
        <source>paged 8-bit AdamW: 2 one-byte states</source>
        <translation>分页 8 位 AdamW：2 个单字节状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="139"/>
        <source>Adafactor: factored second moment</source>
        <translation>Adafactor：分解的二阶矩</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="140"/>
        <source>SGD: no state</source>
        <translation>SGD：没有状态</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="141"/>
        <source>{a} of {n} layers on the gradient path, checkpointed, {b} x {s} tokens</source>
        <translation>{n} 层中有 {a} 层在梯度路径上，使用梯度检查点，{b} × {s} 个词元</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="142"/>
        <source>{a} of {n} layers on the gradient path, all kept, {b} x {s} tokens</source>
        <translation>{n} 层中有 {a} 层在梯度路径上，全部保留，{b} × {s} 个词元</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="143"/>
        <source>fp32 log-probabilities and their gradients over {n} tokens</source>
        <translation>{n} 个词元上的 fp32 对数概率及其梯度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="144"/>
        <source>{n} labels per token</source>
        <translation>每个词元 {n} 个标签</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="145"/>
        <source>{n} labels per sample</source>
        <translation>每个样本 {n} 个标签</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="146"/>
        <source>cached blocks that differently shaped batches cannot reuse</source>
        <translation>形状不同的批次无法复用的缓存块</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="147"/>
        <source>foreach AdamW&apos;s temporary beyond the freed activations</source>
        <translation>foreach AdamW 的临时张量（超出已释放激活值的部分）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="148"/>
        <source>no large temporaries</source>
        <translation>没有大的临时张量</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="150"/>
        <source>4-bit/8-bit loading trains on CUDA only: counted as LoRA over fp32 weights.</source>
        <translation>4 位/8 位加载只能在 CUDA 上训练：按 fp32 权重上的 LoRA 计算。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="151"/>
        <source>8-bit optimizers need CUDA: counted as AdamW.</source>
        <translation>8 位优化器需要 CUDA：按 AdamW 计算。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="152"/>
        <source>The paged optimizer&apos;s states can move to CPU RAM under pressure; they are counted on the GPU.</source>
        <translation>分页优化器的状态在内存紧张时可以移到 CPU 内存；这里按在 GPU 上计算。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="153"/>
        <source>Mixed precision trains fp32 master weights under autocast; activations are half precision.</source>
        <translation>混合精度在 autocast 下训练 fp32 主权重；激活值为半精度。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="154"/>
        <source>seq_len {s} exceeds the model&apos;s {n} positions.</source>
        <translation>seq_len {s} 超过了模型的 {n} 个位置。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="156"/>
        <source>a smaller model of the same family, {name} ({size} M parameters): {verdict}</source>
        <translation>同系列更小的模型 {name}（{size} M 参数）：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="157"/>
        <source>LoRA r16 instead of full fine-tuning: {verdict}</source>
        <translation>用 LoRA r16 代替全量微调：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="158"/>
        <source>QLoRA (4-bit base + LoRA r{r}) instead of {what}: {verdict}</source>
        <translation>用 QLoRA（4 位基座 + LoRA r{r}）代替{what}：{verdict}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="159"/>
        <source>full fine-tuning</source>
        <translation>全量微调</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="160"/>
        <source>training on the CPU (slow): needs {need} of RAM, {ram} available: fits</source>
        <translation>在 CPU 上训练（慢）：需要 {need} 内存，可用 {ram}：放得下</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="161"/>
        <source>training on the CPU (slow): needs {need} of RAM, {ram} available: does not fit either</source>
        <translation>在 CPU 上训练（慢）：需要 {need} 内存，可用 {ram}：同样放不下</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="162"/>
        <source>other processes hold {held} of GPU {i}: closing them frees that memory</source>
        <translation>其他进程占用了 GPU {i} 的 {held}：关闭它们可以释放这些显存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="163"/>
        <source>a GPU with at least {need} free: the config as given needs {n} at batch 1 with checkpointing</source>
        <translation>一块至少有 {need} 空闲显存的 GPU：当前配置在批次 1 并开启梯度检查点时需要 {n}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="164"/>
        <source>fits in {peak} ({how})</source>
        <translation>放得下，需要 {peak}（{how}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="165"/>
        <source>still needs {peak} ({how})</source>
        <translation>仍然需要 {peak}（{how}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="166"/>
        <source>batch {b} x {a}, length {n}</source>
        <translation>批次 {b} × {a}，长度 {n}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="167"/>
        <source>checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="168"/>
        <source>{n} layers frozen</source>
        <translation>冻结 {n} 层</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="169"/>
        <source>with 4-bit loading</source>
        <translation>4 位加载</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="170"/>
        <source>with 8-bit loading</source>
        <translation>8 位加载</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="171"/>
        <source>without quantisation</source>
        <translation>不量化</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="173"/>
        <source>training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="174"/>
        <source>stopped by the user</source>
        <translation>已由用户停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="175"/>
        <source>paused by the user</source>
        <translation>已由用户暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_core_text_run.py" line="176"/>
        <source>the app was closed</source>
        <translation>应用已关闭</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="21"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="22"/>
        <source>Training and evaluation files, checked before anything starts.</source>
        <translation>训练和评估文件，在开始之前先检查。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="29"/>
        <source>optional: a share of the training data is held out</source>
        <translation>可选：不填则从训练数据中留出一部分</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="30"/>
        <source>Training file</source>
        <translation>训练文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="30"/>
        <source>Evaluation file</source>
        <translation>评估文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="33"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="37"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="45"/>
        <source>Save an example file...</source>
        <translation>保存示例文件...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="47"/>
        <source>Write a small valid file for this task, to see the shape your data should have.</source>
        <translation>为当前任务写出一个小而正确的数据文件，让您看到数据应有的格式。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="64"/>
        <source>Problems found:</source>
        <translation>发现的问题：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="99"/>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="100"/>
        <source>Data (*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow);;All files (*)</source>
        <translation>数据 (*.csv *.tsv *.jsonl *.json *.txt *.conll *.bio *.xlsx *.parquet *.arrow);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="105"/>
        <source>Data folder (datasets save_to_disk, or one sub-folder per class)</source>
        <translation>数据文件夹（datasets 的 save_to_disk 目录，或每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="116"/>
        <source>Save an example file</source>
        <translation>保存示例文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="117"/>
        <source>Data (*.csv *.tsv *.jsonl *.json *.txt *.xlsx);;All files (*)</source>
        <translation>数据 (*.csv *.tsv *.jsonl *.json *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="121"/>
        <source>Wrote {file}: open it to see the shape, or train on it as a try.</source>
        <translation>已写入 {file}：打开它查看格式，或直接用它试着训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="192"/>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="192"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="153"/>
        <source>{file}: {n} examples ({format}, {encoding})</source>
        <translation>{file}：{n} 个样本（{format}，{encoding}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="158"/>
        <source>Labels: {labels}</source>
        <translation>标签：{labels}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="164"/>
        <source>Choose a training file.</source>
        <translation>请选择训练文件。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_data.py" line="166"/>
        <source>No problems found.</source>
        <translation>没有发现问题。</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="25"/>
        <source>What to do: {fix}</source>
        <translation>怎么办：{fix}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="27"/>
        <source>Details for a bug report are in {path}</source>
        <translation>用于报告问题的详细信息在 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="37"/>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="38"/>
        <source>A run is in progress. Closing never interrupts a training step.</source>
        <translation>训练正在进行。关闭窗口不会打断正在进行的训练步骤。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="41"/>
        <source>Save a checkpoint and stop</source>
        <translation>保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_dialogs.py" line="42"/>
        <source>Keep training in the background</source>
        <translation>在后台继续训练</translation>
    </message>
</context>
<context>
    <name>DownloadPanel</name>
    <message>
        <location filename="../../gui/qt_download.py" line="101"/>
        <source>Get models from</source>
        <translation>模型来源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="106"/>
        <source>In mainland China huggingface.co is often unreachable: choose hf-mirror.com or ModelScope. The choice is remembered.</source>
        <translation>在中国大陆常常无法访问 huggingface.co：请选择 hf-mirror.com 或 ModelScope（魔搭）。选择会被记住。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="112"/>
        <source>The mirror&apos;s address (any server speaking the Hugging Face hub&apos;s API).</source>
        <translation>镜像地址（任何提供 Hugging Face hub 相同接口的服务器）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="116"/>
        <source>Hub token</source>
        <translation>Hub 访问令牌</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="120"/>
        <source>only for gated models; saved for you only, never in run folders</source>
        <translation>仅受限（gated）模型需要；只保存给你本人，绝不写入运行文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="133"/>
        <source>Download now</source>
        <translation>立即下载</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="135"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="159"/>
        <location filename="../../gui/qt_download.py" line="195"/>
        <source>a token is saved (type a new one to replace it)</source>
        <translation>已保存令牌（输入新的即可替换）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="234"/>
        <location filename="../../gui/qt_download.py" line="258"/>
        <location filename="../../gui/qt_download.py" line="323"/>
        <source>In cache: {path}</source>
        <translation>已在缓存中：{path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="236"/>
        <source>Not in the cache; asking {source} for its size...</source>
        <translation>不在缓存中；正在向 {source} 查询大小……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="254"/>
        <source>Cannot get its size: {why}</source>
        <translation>无法获取大小：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="260"/>
        <source>To download: {size} from {source}</source>
        <translation>需要下载：{size}，来源 {source}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="262"/>
        <source>(continues an earlier download of {total})</source>
        <translation>（继续之前未完成的下载，共 {total}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="282"/>
        <source>Starting the download from {source}...</source>
        <translation>正在开始从 {source} 下载……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="303"/>
        <source>Cancelling...</source>
        <translation>正在取消……</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="318"/>
        <source>Download cancelled; it continues where it stopped next time.</source>
        <translation>下载已取消；下次会从中断处继续。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_download.py" line="334"/>
        <source>Download failed: {why}</source>
        <translation>下载失败：{why}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/qt_export.py" line="57"/>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="64"/>
        <source>As Try it uses (best, else final)</source>
        <translation>与“试用”相同（最佳，否则最终模型）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="65"/>
        <source>Final model</source>
        <translation>最终模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="66"/>
        <source>Latest checkpoint</source>
        <translation>最新检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="70"/>
        <source>Hugging Face folder + model card</source>
        <translation>Hugging Face 文件夹 + 模型卡片</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="71"/>
        <source>LoRA merged into the weights (no peft needed)</source>
        <translation>LoRA 合并进权重（无需 peft）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="72"/>
        <source>GGUF file (llama.cpp, LM Studio)</source>
        <translation>GGUF 文件（llama.cpp、LM Studio）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="73"/>
        <source>Ollama (GGUF + Modelfile)</source>
        <translation>Ollama（GGUF + Modelfile）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="78"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="85"/>
        <source>Run:</source>
        <translation>运行：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="86"/>
        <source>Checkpoint:</source>
        <translation>检查点：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="87"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="88"/>
        <source>Precision:</source>
        <translation>精度：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="89"/>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="98"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="100"/>
        <location filename="../../gui/qt_export.py" line="215"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="144"/>
        <source>as the base model (f16 or bf16)</source>
        <translation>与基础模型相同（f16 或 bf16）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="160"/>
        <source>Exports %1</source>
        <translation>将导出 %1</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="167"/>
        <source>Export into which folder?</source>
        <translation>导出到哪个文件夹？</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="189"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="192"/>
        <source>Starting the export...</source>
        <translation>正在开始导出...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="200"/>
        <source>Cancelling: removing what was written...</source>
        <translation>正在取消：删除已写入的内容...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="222"/>
        <source>Exported to %1 in %2 s</source>
        <translation>已导出到 %1，用时 %2 秒</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="232"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location filename="../../gui/qt_export.py" line="237"/>
        <source>Export cancelled; nothing was left in the output folder.</source>
        <translation>导出已取消；输出文件夹中没有留下任何文件。</translation>
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
        <location filename="../../gui/qt_wizard.py" line="72"/>
        <source>Your hardware</source>
        <translation>你的硬件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="73"/>
        <source>What LapTune found, and which GPU it will train on.</source>
        <translation>LapTune 检测到的硬件，以及将用哪块 GPU 训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="91"/>
        <source>Training will run on: {device}</source>
        <translation>训练将在此运行：{device}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="92"/>
        <source>the CPU (no NVIDIA GPU found)</source>
        <translation>CPU（未找到 NVIDIA GPU）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="93"/>
        <source>Tier: {tier} — {reason}</source>
        <translation>档位：{tier} — {reason}</translation>
    </message>
</context>
<context>
    <name>HardwarePanel</name>
    <message>
        <location filename="../../gui/qt_hardware.py" line="85"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="88"/>
        <source>detecting...</source>
        <translation>正在检测...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="96"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="97"/>
        <source>VRAM</source>
        <translation>显存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="98"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="99"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="100"/>
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="101"/>
        <source>Other GPU users</source>
        <translation>其他占用 GPU 的程序</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="111"/>
        <source> (simulated)</source>
        <translation>（模拟）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="113"/>
        <source>none: training runs on the CPU</source>
        <translation>无：训练在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="114"/>
        <location filename="../../gui/qt_hardware.py" line="122"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="124"/>
        <location filename="../../gui/qt_hardware.py" line="149"/>
        <source>GPU {t} °C</source>
        <translation>GPU {t} °C</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="126"/>
        <source>{used} of {total} GiB used</source>
        <translation>已用 {used} / {total} GiB</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="132"/>
        <source>mains (no battery)</source>
        <translation>外接电源（无电池）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="140"/>
        <source>{used} of {total} GiB used ({pct} %)</source>
        <translation>已用 {used} / {total} GiB（{pct} %）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="144"/>
        <location filename="../../gui/qt_hardware.py" line="157"/>
        <source>{pct} % used</source>
        <translation>已用 {pct} %</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="146"/>
        <source>no GPU</source>
        <translation>无 GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="151"/>
        <source>CPU {t} °C</source>
        <translation>CPU {t} °C</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="155"/>
        <source>no sensor readable</source>
        <translation>无法读取传感器</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="162"/>
        <source>on AC</source>
        <translation>接通电源</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="162"/>
        <source>on battery</source>
        <translation>使用电池</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="162"/>
        <source>source unknown</source>
        <translation>电源未知</translation>
    </message>
    <message>
        <location filename="../../gui/qt_hardware.py" line="163"/>
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
        <location filename="../../gui/qt_main.py" line="47"/>
        <source>LapTune</source>
        <translation>LapTune</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="101"/>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="101"/>
        <source>Errors are written to {path}</source>
        <translation>错误信息写在 {path}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="228"/>
        <source>Starting {preset}: {command}</source>
        <translation>正在启动 {preset}：{command}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="244"/>
        <source>Resuming {run} from checkpoint {step}</source>
        <translation>从检查点 {step} 继续 {run}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="250"/>
        <source>Starting: loading the model and the data...</source>
        <translation>正在启动：加载模型和数据...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="259"/>
        <source>Pausing after the current step...</source>
        <translation>当前步骤结束后暂停...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="266"/>
        <source>Resuming...</source>
        <translation>正在继续...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="273"/>
        <source>Stopping: saving a checkpoint after the current step...</source>
        <translation>正在停止：当前步骤结束后保存检查点...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="283"/>
        <source>No runs yet</source>
        <translation>还没有训练记录</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="283"/>
        <source>There is no run with a checkpoint to resume.</source>
        <translation>没有带检查点、可以继续的训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="305"/>
        <source>Open a run folder</source>
        <translation>打开训练文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="319"/>
        <source>Cannot open the run</source>
        <translation>无法打开该训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="330"/>
        <source>Showing run {name}: {status}, step {step}</source>
        <translation>正在显示训练 {name}：{status}，第 {step} 步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="332"/>
        <source>Opened {path} ({n} events)</source>
        <translation>已打开 {path}（{n} 条事件）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="367"/>
        <location filename="../../gui/qt_main.py" line="399"/>
        <source>Training: step {step}/{total}</source>
        <translation>训练中：第 {step}/{total} 步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="369"/>
        <source>loss {loss:.4f}</source>
        <translation>损失 {loss:.4f}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="371"/>
        <source>about {left} left</source>
        <translation>约剩 {left}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="379"/>
        <location filename="../../gui/qt_main.py" line="404"/>
        <source>Paused by the guard: {why}</source>
        <translation>守护已暂停：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="380"/>
        <location filename="../../gui/qt_main.py" line="407"/>
        <source>LapTune paused training</source>
        <translation>LapTune 已暂停训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="383"/>
        <source>Resumed by the guard: {why}</source>
        <translation>守护已继续：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="385"/>
        <source>Stopping (guard): {why}</source>
        <translation>正在停止（守护）：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="386"/>
        <source>LapTune is stopping training</source>
        <translation>LapTune 正在停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="388"/>
        <source>Warning: {why}</source>
        <translation>警告：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="406"/>
        <source>Paused at step {step}. Click Resume to continue.</source>
        <translation>已在第 {step} 步暂停。点击“继续”恢复训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="407"/>
        <source>Paused at step {step}</source>
        <translation>已在第 {step} 步暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="409"/>
        <source>Probe first: measuring memory and speed with a few steps...</source>
        <translation>先试探：用几步训练测量内存和速度...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="414"/>
        <source>Training resumed at step {step}</source>
        <translation>训练已在第 {step} 步继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="421"/>
        <source>Finished at step {step} in {time}.</source>
        <translation>已在第 {step} 步完成，用时 {time}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="423"/>
        <source>LapTune finished training</source>
        <translation>LapTune 已完成训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="425"/>
        <source>Stopped at step {step}; a checkpoint was saved. Resume from checkpoint... continues it.</source>
        <translation>已在第 {step} 步停止并保存了检查点。用“从检查点继续...”可以接着训练。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="427"/>
        <source>LapTune stopped training</source>
        <translation>LapTune 已停止训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="429"/>
        <source>Best evaluation: {metrics}.</source>
        <translation>最佳评估：{metrics}。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="437"/>
        <source>The run failed: {message}</source>
        <translation>训练失败：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="438"/>
        <source>Failed: {message}</source>
        <translation>失败：{message}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="439"/>
        <source>LapTune: the run failed</source>
        <translation>LapTune：训练失败</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="461"/>
        <source>Stopping: saving a checkpoint; LapTune closes when it is saved.</source>
        <translation>正在停止：保存检查点；保存后 LapTune 将关闭。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="467"/>
        <source>LapTune keeps training</source>
        <translation>LapTune 继续训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_main.py" line="467"/>
        <source>Training goes on in the background.</source>
        <translation>训练在后台继续进行。</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <location filename="../../gui/qt_plots.py" line="96"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="96"/>
        <location filename="../../gui/qt_plots.py" line="97"/>
        <location filename="../../gui/qt_plots.py" line="110"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="96"/>
        <source>Eval metrics</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="97"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="97"/>
        <source>VRAM used (%)</source>
        <translation>显存占用 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="97"/>
        <location filename="../../gui/qt_plots.py" line="98"/>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="98"/>
        <source>Temperature (°C)</source>
        <translation>温度 (°C)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="98"/>
        <source>RAM used (%)</source>
        <translation>内存占用 (%)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="99"/>
        <source>Dashed orange line: the run was paused here (by the guard or by you).
Right-click: save this plot as PNG or the run&apos;s metrics as CSV.</source>
        <translation>橙色虚线：训练在此处暂停（由守护或由你）。
右键：把此图另存为 PNG，或把本次训练的指标另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="101"/>
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
        <location filename="../../gui/qt_plots.py" line="132"/>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="133"/>
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="134"/>
        <source>eval loss</source>
        <translation>评估损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="136"/>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="137"/>
        <source>all programs</source>
        <translation>所有程序</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="138"/>
        <source>this run</source>
        <translation>本次训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="139"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="140"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="141"/>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="170"/>
        <source>Save this plot as PNG...</source>
        <translation>将此图保存为 PNG...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="173"/>
        <source>Save the run&apos;s metrics as CSV...</source>
        <translation>将训练指标保存为 CSV...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="187"/>
        <location filename="../../gui/qt_plots.py" line="189"/>
        <location filename="../../gui/qt_plots.py" line="192"/>
        <source>pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="188"/>
        <location filename="../../gui/qt_plots.py" line="190"/>
        <source>resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="191"/>
        <location filename="../../gui/qt_plots.py" line="193"/>
        <source>stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="296"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="390"/>
        <source>Save plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../gui/qt_plots.py" line="395"/>
        <source>Save metrics</source>
        <translation>保存指标</translation>
    </message>
</context>
<context>
    <name>PresetWizard</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="280"/>
        <source>New run</source>
        <translation>新建训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="309"/>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="310"/>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="311"/>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="312"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <location filename="../../gui/qt_resume.py" line="22"/>
        <source>Resume from a checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="25"/>
        <source>Run:</source>
        <translation>训练：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="37"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="37"/>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="37"/>
        <source>Eval metric</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="37"/>
        <source>Best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="43"/>
        <location filename="../../gui/qt_resume.py" line="107"/>
        <source>The best checkpoint by the evaluation metric is marked ★; the last one is not always the best.</source>
        <translation>按评估指标最好的检查点标有 ★；最后一个不一定是最好的。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="48"/>
        <source>Save a checkpoint every (steps):</source>
        <translation>每隔多少步保存检查点：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="48"/>
        <location filename="../../gui/qt_resume.py" line="50"/>
        <source>each epoch</source>
        <translation>每个轮次</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="49"/>
        <source>Keep at most (checkpoints):</source>
        <translation>最多保留检查点个数：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="49"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="50"/>
        <source>Evaluate every (steps):</source>
        <translation>每隔多少步评估：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="51"/>
        <source>Log the loss every (steps):</source>
        <translation>每隔多少步记录损失：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="51"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="60"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="92"/>
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <location filename="../../gui/qt_resume.py" line="104"/>
        <source>This run stopped before its first checkpoint: it starts again from step 0 in the same folder, with its saved settings.</source>
        <translation>这次训练在第一个检查点之前就停止了：将在同一文件夹中用保存的设置从第 0 步重新开始。</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="36"/>
        <source>Review</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="37"/>
        <source>What will run. Start training runs exactly this.</source>
        <translation>将要运行的内容。“开始训练”会完全按此运行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="44"/>
        <location filename="../../gui/qt_wizard_review.py" line="71"/>
        <source>Show all settings</source>
        <translation>显示全部设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="55"/>
        <source>The same run from a terminal:</source>
        <translation>在终端中运行同样的训练：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="62"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="71"/>
        <source>Hide all settings</source>
        <translation>隐藏全部设置</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="100"/>
        <source>a folder on this computer</source>
        <translation>本机上的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="102"/>
        <source>in the local cache</source>
        <translation>本地缓存中</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="104"/>
        <source>from the Hugging Face hub when training starts (needs internet, or a mirror)</source>
        <translation>训练开始时从 Hugging Face Hub 下载（需要联网或镜像）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="105"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="106"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="111"/>
        <source>{n} examples ({shape})</source>
        <translation>{n} 条样本（{shape}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="112"/>
        <source>evaluation: {file}</source>
        <translation>评估：{file}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="113"/>
        <source>evaluation: {pct} % held out</source>
        <translation>评估：留出 {pct} %</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="114"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="116"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="116"/>
        <source>{epochs:g} epochs, effective batch {eff} ({b} × {acc} accumulation)</source>
        <translation>{epochs:g} 轮，有效批大小 {eff}（{b} × {acc} 累积）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="121"/>
        <location filename="../../gui/qt_wizard_review.py" line="124"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="122"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="124"/>
        <source>estimate unavailable: {error}</source>
        <translation>无法估算：{error}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="126"/>
        <source>on: pause at GPU {t} °C, RAM {ram} %, VRAM {vram} %; save and stop at battery {bat} %</source>
        <translation>开启：GPU {t} °C、内存 {ram} %、显存 {vram} % 时暂停；电量低于 {bat} % 时保存并停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="128"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard_review.py" line="129"/>
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
        <source>fp16/bf16 halve activation memory on a GPU; on the CPU, auto trains in bf16 where the CPU has it (faster), else fp32.</source>
        <translation>fp16/bf16 在 GPU 上让激活内存减半；在 CPU 上，auto 在支持 bf16 的 CPU 上用 bf16 训练（更快），否则用 fp32。</translation>
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
        <location filename="../../gui/qt_data_start.py" line="37"/>
        <source>Your data</source>
        <translation>您的数据</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="38"/>
        <source>Choose the file or folder to train on, or drop it here. LapTune reads it, recognises the task and picks the preset for this computer.</source>
        <translation>选择要训练的文件或文件夹，或把它拖到这里。LapTune 会读取它、识别任务，并为这台电脑选好预设。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="42"/>
        <source>Drop a data file or folder here</source>
        <translation>把数据文件或文件夹拖到这里</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="50"/>
        <source>Choose data file...</source>
        <translation>选择数据文件...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="54"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="58"/>
        <source>Save an example file...</source>
        <translation>保存示例文件...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="60"/>
        <source>Write a small valid file for the chosen task, to see the shape your data should have.</source>
        <translation>为所选任务写出一个小而正确的数据文件，让您看到数据应有的格式。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="73"/>
        <source>Recognised</source>
        <translation>识别结果</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="76"/>
        <source>Text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="76"/>
        <source>Named entities (NER)</source>
        <translation>命名实体识别（NER）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="77"/>
        <source>Chat fine-tuning (SFT)</source>
        <translation>对话微调（SFT）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="80"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="83"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="93"/>
        <source>Customise: go through hardware, model, data, settings and guard pages</source>
        <translation>自定义：逐页查看硬件、模型、数据、设置和守护</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="119"/>
        <source>Data file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="120"/>
        <location filename="../../gui/qt_data_start.py" line="139"/>
        <source>Data ({patterns});;All files (*)</source>
        <translation>数据 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="126"/>
        <source>Data folder (datasets save_to_disk, or one sub-folder per class)</source>
        <translation>数据文件夹（datasets 的 save_to_disk 目录，或每个类别一个子文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="138"/>
        <source>Save an example file</source>
        <translation>保存示例文件</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="170"/>
        <source>sure</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="170"/>
        <source>likely</source>
        <translation>很可能</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="170"/>
        <source>unsure</source>
        <translation>不确定</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="171"/>
        <source>{what} ({sure}: {pct} of the sampled records fit)</source>
        <translation>{what}（{sure}：抽样记录中 {pct} 符合）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="173"/>
        <source>not recognised: {why}</source>
        <translation>无法识别：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="193"/>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="214"/>
        <source>Recommended for this computer: {reason}</source>
        <translation>为这台电脑推荐：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="219"/>
        <source>Does not fit this machine: {why}</source>
        <translation>不适合这台机器：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="220"/>
        <source>Fits this machine ({needs}).</source>
        <translation>适合这台机器（{needs}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="236"/>
        <source>{file}: {n} examples ({format}, {encoding})</source>
        <translation>{file}：{n} 条样本（{format}，{encoding}）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_data_start.py" line="241"/>
        <source>Labels: {labels}</source>
        <translation>标签：{labels}</translation>
    </message>
</context>
<context>
    <name>TaskModelPage</name>
    <message>
        <location filename="../../gui/qt_wizard.py" line="104"/>
        <source>Task and model</source>
        <translation>任务和模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="105"/>
        <source>Choose what to train; the preset that fits your hardware is pre-selected.</source>
        <translation>选择要训练的内容；已预先选好适合你硬件的预设。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="110"/>
        <source>Text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="110"/>
        <source>Named entities (NER)</source>
        <translation>命名实体识别 (NER)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="111"/>
        <source>Chat fine-tuning (SFT)</source>
        <translation>对话微调 (SFT)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="114"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="117"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="124"/>
        <source>Folder...</source>
        <translation>文件夹...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="129"/>
        <source>Model (hub id or folder)</source>
        <translation>模型（Hub ID 或文件夹）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="139"/>
        <source>Trust the model&apos;s own code (trust_remote_code)</source>
        <translation>信任模型自带的代码 (trust_remote_code)</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="142"/>
        <source>Warning: this runs Python code that comes with the model, with your permissions. Tick it only for a model from a source you trust.</source>
        <translation>警告：这会以你的权限运行模型附带的 Python 代码。只有模型来源可信时才勾选。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="190"/>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="192"/>
        <source>(demo, CPU)</source>
        <translation>（演示，CPU）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="209"/>
        <source>Recommended: {reason}</source>
        <translation>推荐：{reason}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="214"/>
        <source>Does not fit this machine: {why}</source>
        <translation>不适合这台机器：{why}</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="215"/>
        <source>Fits this machine ({needs}).</source>
        <translation>适合这台机器（{needs}）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="225"/>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="240"/>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="246"/>
        <source>Model config readable: {arch}, {layers} layers.</source>
        <translation>模型配置可读：{arch}，{layers} 层。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="247"/>
        <source>This model ships its own code: tick the box below to use it.</source>
        <translation>这个模型自带代码：要使用它，请勾选下面的选项。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_wizard.py" line="252"/>
        <source>Cannot read the model&apos;s config: {error}</source>
        <translation>无法读取模型配置：{error}</translation>
    </message>
</context>
<context>
    <name>TryDialog</name>
    <message>
        <location filename="../../gui/qt_try.py" line="45"/>
        <source>Try it: %1</source>
        <translation>试用：%1</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="49"/>
        <source>Checkpoint:</source>
        <translation>检查点：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="78"/>
        <source>Type a sentence to try the model on</source>
        <translation>输入一句话来试用模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="82"/>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="103"/>
        <source>Message the model and press Enter</source>
        <translation>给模型发消息，按回车发送</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="106"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="109"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="112"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="120"/>
        <source>Try it</source>
        <translation>试用</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="126"/>
        <source>A:</source>
        <translation>A：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="130"/>
        <source>B:</source>
        <translation>B：</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="137"/>
        <source>The same input goes to both checkpoints</source>
        <translation>同一输入会同时发给两个检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="139"/>
        <location filename="../../gui/qt_try.py" line="182"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="154"/>
        <source>IFEval prompts: a local JSONL file, or empty to download google/IFEval</source>
        <translation>IFEval 提示：本地 JSONL 文件；留空则下载 google/IFEval</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="156"/>
        <source>Score all on IFEval</source>
        <translation>全部用 IFEval 评分</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="158"/>
        <source>Every checkpoint answers the IFEval prompts; lm-eval&apos;s checkers score them</source>
        <translation>每个检查点回答 IFEval 提示，由 lm-eval 的检查器评分</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="165"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="179"/>
        <source>★ best by the evaluation metric; ☆ best by benchmark. The last checkpoint is not always the best.</source>
        <translation>★ 按评估指标最佳；☆ 按基准测试最佳。最后一个检查点不一定是最好的。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="198"/>
        <source>latest checkpoint (run in progress)</source>
        <translation>最新检查点（运行进行中）</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="199"/>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="217"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="217"/>
        <source>Train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="268"/>
        <source>Loading the model...</source>
        <translation>正在加载模型...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="287"/>
        <source>Running on the CPU: a training run is using the GPU, and its memory budget belongs to the run. Answers come slower than on the GPU.</source>
        <translation>在 CPU 上运行：训练正在使用 GPU，显存预算归训练所有。回答会比在 GPU 上慢。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="290"/>
        <source>Running on the CPU.</source>
        <translation>在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="292"/>
        <source>Running on the GPU.</source>
        <translation>在 GPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="295"/>
        <source>Loaded %1.</source>
        <translation>已加载 %1。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="319"/>
        <source>Predicting...</source>
        <translation>正在预测...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="326"/>
        <source>%1 entities; CRF path score %2</source>
        <translation>%1 个实体；CRF 路径得分 %2</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="334"/>
        <source>Predicted: %1</source>
        <translation>预测结果：%1</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="343"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="343"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="347"/>
        <source>Generating...</source>
        <translation>正在生成...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="361"/>
        <source>%1 tokens; first token after %2 ms</source>
        <translation>%1 个词元；首个词元用时 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="379"/>
        <source>Both checkpoints are answering...</source>
        <translation>两个检查点正在回答...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="387"/>
        <source>Compared.</source>
        <translation>比较完成。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="402"/>
        <source>Scoring the checkpoints on IFEval...</source>
        <translation>正在用 IFEval 给检查点评分...</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="427"/>
        <source>IFEval cancelled; finished checkpoints are saved.</source>
        <translation>IFEval 已取消；已完成的检查点结果已保存。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="428"/>
        <source>IFEval scores are in the table (☆ best).</source>
        <translation>IFEval 得分已列入表格（☆ 为最佳）。</translation>
    </message>
    <message>
        <location filename="../../gui/qt_try.py" line="435"/>
        <source>Could not do it: %1</source>
        <translation>无法完成：%1</translation>
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
