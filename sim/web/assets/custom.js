/* Solara's own messages in the page's language (docs/web.md, "Solara's messages").
 *
 * Solara's page template says "App is disconnected", "Server disconnected.", "Loading app"
 * and the like in English only. Solara includes this file (static/assets/custom.js, from
 * the page's asset folder) after its scripts load and before its Vue app compiles the
 * template: each message of the template is replaced here by the message in both
 * languages, each in a span, and custom.css shows the one of the page's language, which
 * the page keeps in its address (Chinese unless ?lang=en; the page writes it there when
 * switched). The address is followed, not the page's widgets, because Solara's messages
 * show when the widgets are gone (a lost connection, a session being restored).
 * tests/web/test_solara_messages.py checks that every English message below is still
 * Solara's.
 */
(function () {
    var MESSAGES = [
        ["App is disconnected, and may not function properly. Please refresh the page.",
         "与服务器的连接已断开，页面可能无法正常工作。请刷新页面。"],
        ["Could not restore session. Please refresh the page.", "无法恢复会话。请刷新页面。"],
        ["Could not restore session. Please refresh.", "无法恢复会话。请刷新页面。"],
        ["Please refresh the page", "请刷新页面"],
        ["Server disconnected.", "服务器连接已断开。"],
        ["Restoring session…", "正在恢复会话…"],
        ["Refresh now", "立即刷新"],
        ["Cancel", "取消"],
        ["Made with", "构建工具："]
    ];
    var LOADING = {"Loading resources": "正在加载资源", "Loading app": "正在加载页面", "Done": "完成"};

    function both(english, chinese) {
        return '<span class="solara-message-zh">' + chinese + '</span>' +
            '<span class="solara-message-en">' + english + '</span>';
    }

    function between_tags(english) {
        // the message as the whole text between two tags, its spaces any run of white space
        var escaped = english.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
        return new RegExp(">(\\s*)" + escaped + "(\\s*)<", "g");
    }

    function follow_the_address() {
        // The page keeps its language in the address (?lang=en), also once switched on the page.
        var english = new URLSearchParams(window.location.search).get("lang") === "en";
        var language = english ? "en" : "zh-CN";
        if (document.documentElement.lang !== language) {
            document.documentElement.lang = language;
        }
    }

    follow_the_address();
    window.setInterval(follow_the_address, 250);
    var template = document.getElementById("vue-app-template");
    if (!template) {
        return;
    }
    var html = template.textContent;
    MESSAGES.forEach(function (message) {
        html = html.replace(between_tags(message[0]), function (_, before, after) {
            return ">" + before + both(message[0], message[1]) + after + "<";
        });
    });
    var loading = Object.keys(LOADING).map(function (english) {
        return "loading_text === '" + english + "' ? '" + LOADING[english] + "' : ";
    }).join("");
    html = html.replace("{{ loading_text }}", both("{{ loading_text }}", "{{ " + loading + "loading_text }}"));
    template.textContent = html;
})();
